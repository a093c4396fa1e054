package org.multiprocessing4j;

import org.multiprocessing4j.internal.pool.ThreadEngine;

/**
 * A {@link Pool} whose workers are threads of this JVM, Python's {@code multiprocessing.pool.ThreadPool}:
 * the same methods, for code that wants the pool's shape (map, imap, apply, async results, callbacks)
 * where processes are not needed, e.g. for blocking I/O. Nothing is serialized, so functions, tasks and
 * arguments need not be serializable, and results are the objects the tasks returned.
 *
 * <p>What differs, because a thread cannot be killed: a task past its deadline
 * ({@link #applyAsync(SerializableCallable, java.time.Duration)}), or cancelled with
 * {@code cancel(true)}, fails at once and its thread is interrupted; if the task ignores the interrupt,
 * its thread runs on until it returns, and a new thread takes its place in the pool meanwhile.
 * {@link #terminate()} fails the unfinished work and interrupts every thread; {@link #join()} waits for
 * them to end, including a thread whose task ignores the interrupt, until that task returns. A task's
 * exception, even an {@code OutOfMemoryError}, reaches the caller as it is; there is no worker to lose.
 * {@link #workerPids()} lists this JVM's pid once per thread. The threads are daemon threads.
 *
 * <p>A thread whose initializer throws ends (a warning is logged) and a new one takes its place; after
 * three initializers in a row have thrown, the pool gives up, as a process pool whose workers cannot
 * start: its outstanding work fails, and new work is refused, with a {@link ProcessError} whose cause
 * is the last initializer's exception.
 */
public class ThreadPool extends Pool {

    /** A pool of {@link Multiprocessing#cpuCount()} threads. */
    public ThreadPool() {
        this(Multiprocessing.cpuCount());
    }

    /**
     * A pool of {@code threads} threads.
     *
     * @throws IllegalArgumentException if {@code threads} is less than 1
     */
    public ThreadPool(int threads) {
        this(threads, null);
    }

    /**
     * A pool of {@code threads} threads, each running {@code initializer} (may be null) before its first
     * task; one whose initializer throws is replaced, three in a row break the pool (see above).
     *
     * @throws IllegalArgumentException if {@code threads} is less than 1
     */
    public ThreadPool(int threads, Runnable initializer) {
        super(new ThreadEngine(atLeast(1, threads, "Number of threads must be at least 1"), initializer));
    }
}
