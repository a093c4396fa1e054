package org.multiprocessing4j.internal.pool;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;

/**
 * What runs a pool's tasks: worker processes ({@link PoolEngine}) or threads ({@link ThreadEngine}). The
 * public {@code Pool} builds tasks for its jobs here and hands them over; each task's outcome goes to its
 * {@link Job}, once, and never after the task was cancelled.
 */
public interface Engine {

    /** Where a task's outcome goes. Called from an engine's thread, with no lock held; must not block. */
    interface Job {
        void done(Task task, List<Object> results);

        void failed(Task task, Throwable error);
    }

    /** Whether tasks cross into another JVM: functions, callables and arguments must then be serializable. */
    boolean serializes();

    /** The number of workers. */
    int size();

    /** A new id for a function about to be mapped. */
    int newFunctionId();

    /**
     * A chunk of a map: {@code fn} applied to each of {@code args}.
     *
     * @param fnBytes {@code fn} serialized, if {@link #serializes()}
     * @param timeout null for the pool's default
     * @throws IllegalArgumentException if an argument cannot be serialized; the message names its class
     */
    Task mapTask(Job job, int index, int fnId, Object fn, byte[] fnBytes, List<?> args, Duration timeout);

    /**
     * One call of {@code callable}.
     *
     * @param bytes {@code callable} serialized, if {@link #serializes()}
     * @param timeout null for the pool's default
     */
    Task callTask(Job job, int index, Callable<?> callable, byte[] bytes, Duration timeout);

    /**
     * Queues tasks, in order.
     *
     * @throws IllegalStateException if the pool was shut down or terminated
     */
    void submit(List<Task> tasks);

    /**
     * Gives up tasks that have not finished: those still queued are dropped; those running are left to
     * finish, unless {@code kill}. Their jobs hear nothing more of them.
     */
    void cancel(List<Task> tasks, boolean kill);

    /** No new tasks; the workers end when the queued ones are done. */
    void shutdown();

    /** Stops everything now; unfinished tasks fail with {@link CancellationException}. */
    void terminate();

    boolean isShutdown();

    /** Whether the pool was shut down or terminated and every worker has ended. */
    boolean isTerminated();

    /**
     * Waits until every worker has ended.
     *
     * @param timeoutNanos negative waits for ever
     * @return false if the timeout passed first
     * @throws IllegalStateException if the pool is still running
     */
    boolean join(long timeoutNanos) throws InterruptedException;

    /**
     * Waits until the pool is shut down or terminated, by whatever thread.
     *
     * @param timeoutNanos how long to wait; negative waits for ever
     * @return false if the timeout elapsed first
     */
    boolean awaitShutdown(long timeoutNanos) throws InterruptedException;

    /** The pids of the live workers. */
    List<Long> workerPids();
}
