package org.multiprocessing4j.internal.flight;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** A child JVM (a process's, or a pool worker's) ended, as its parent saw it. */
@Name("org.multiprocessing4j.ProcessEnd")
@Label("Process End")
@Category("multiprocessing4j")
@Description("A child JVM of this one ended (a Process, or a pool's worker)")
public final class ProcessEndEvent extends jdk.jfr.Event {
    @Label("Name")
    public String name;

    @Label("PID")
    public long pid;

    @Label("Exit Code")
    @Description("As Python gives it: 0, the code of System.exit, or -N for signal N")
    public int exitCode;

    @Label("Ran Its Task")
    @Description("False for a child that ended before it ran its task (it could not start)")
    public boolean ranTask;
}
