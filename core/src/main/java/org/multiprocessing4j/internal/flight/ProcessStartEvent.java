package org.multiprocessing4j.internal.flight;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** A child process was started: the event lasts from {@code start()} until its JVM was launched. */
@Name("org.multiprocessing4j.ProcessStart")
@Label("Process Start")
@Category("multiprocessing4j")
@Description("A child process started (Process.start): the event lasts until its JVM was launched")
public final class ProcessStartEvent extends jdk.jfr.Event {
    @Label("Name")
    public String name;

    @Label("PID")
    public long pid;

    @Label("Start Method")
    @Description("spawn or forkserver")
    public String startMethod;
}
