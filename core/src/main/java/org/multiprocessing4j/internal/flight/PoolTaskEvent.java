package org.multiprocessing4j.internal.flight;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Timespan;

/** A task of a pool (a chunk of a map, or one call) ended on a worker. */
@Name("org.multiprocessing4j.PoolTask")
@Label("Pool Task")
@Category("multiprocessing4j")
@Description("A pool's task (a chunk of a map, or one call) ended on a worker")
public final class PoolTaskEvent extends jdk.jfr.Event {
    /** The outcomes, as the field {@link #outcome} names them. */
    public static final String OK = "ok", FAILED = "failed", WORKER_LOST = "worker lost", TIMED_OUT = "timed out";

    @Label("Pool")
    public String pool;

    @Label("Worker PID")
    public long workerPid;

    @Label("Run Time")
    @Description("From when the worker began the task until its answer (or its death) was seen")
    @Timespan(Timespan.NANOSECONDS)
    public long runTime;

    @Label("Outcome")
    @Description("ok, failed (the task threw), worker lost, or timed out (its worker was killed)")
    public String outcome;
}
