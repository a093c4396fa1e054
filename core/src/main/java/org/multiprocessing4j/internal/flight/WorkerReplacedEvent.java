package org.multiprocessing4j.internal.flight;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** A pool's worker ended and the pool started another in its place. */
@Name("org.multiprocessing4j.WorkerReplaced")
@Label("Worker Replaced")
@Category("multiprocessing4j")
@Description("A pool's worker ended (it died, was killed at a deadline, or reached maxTasksPerChild) and another was started")
public final class WorkerReplacedEvent extends jdk.jfr.Event {
    @Label("Pool")
    public String pool;

    @Label("Ended Worker PID")
    public long endedPid;

    @Label("Exit Code")
    public int exitCode;

    @Label("Ended Under A Task")
    @Description("Whether a task was running on it when it ended (then lost, or timed out)")
    public boolean underTask;
}
