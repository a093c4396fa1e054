package org.multiprocessing4j.internal.pool;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.multiprocessing4j.internal.wait.Deadline;

/**
 * What every {@link Engine} keeps the same way: its size, ids, lock, lifecycle state, and the join. Public
 * for the cluster module's engine (this package is exported to it alone).
 */
public abstract class EngineBase implements Engine {
    /** Where an engine is in its life. */
    protected enum State { RUNNING, SHUTDOWN, TERMINATED }

    protected final int size;
    /** Guards the engine's state; notified when it changes or a worker ends. */
    protected final Object lock = new Object();
    protected State state = State.RUNNING; // guarded by lock
    private final AtomicLong taskIds = new AtomicLong();
    private final AtomicInteger fnIds = new AtomicInteger();

    protected EngineBase(int size) {
        this.size = size;
    }

    /** Whether every worker has ended. Caller holds the lock, which is notified when one ends. */
    protected abstract boolean workersGone();

    @Override
    public int size() {
        return size;
    }

    @Override
    public int newFunctionId() {
        return fnIds.incrementAndGet();
    }

    protected long newTaskId() {
        return taskIds.incrementAndGet();
    }

    /**
     * Caller holds the lock.
     *
     * @throws IllegalStateException if the pool was shut down or terminated
     */
    protected void checkRunning() {
        if (state != State.RUNNING) {
            throw new IllegalStateException("the pool is " + (state == State.SHUTDOWN ? "shut down" : "terminated")
                    + "; it takes no new work");
        }
    }

    /** Takes no new work from now on (a no-op once shut down or terminated); wakes those waiting for it. */
    protected void markShutdown() {
        synchronized (lock) {
            if (state == State.RUNNING) {
                state = State.SHUTDOWN;
            }
            lock.notifyAll();
        }
    }

    @Override
    public boolean isShutdown() {
        synchronized (lock) {
            return state != State.RUNNING;
        }
    }

    @Override
    public boolean isTerminated() {
        synchronized (lock) {
            return state != State.RUNNING && workersGone();
        }
    }

    @Override
    public boolean awaitShutdown(long timeoutNanos) throws InterruptedException {
        synchronized (lock) {
            return waitUntil(() -> state != State.RUNNING, timeoutNanos); // shutdown() and terminate() notify
        }
    }

    /** @throws IllegalStateException if the pool is still running (Python: "pool is still running") */
    @Override
    public boolean join(long timeoutNanos) throws InterruptedException {
        synchronized (lock) {
            if (state == State.RUNNING) {
                throw new IllegalStateException("the pool is still running: shutdown() or terminate() it first");
            }
            return waitUntil(this::workersGone, timeoutNanos);
        }
    }

    /**
     * Waits on the lock, which the caller holds, until {@code done} is true (it is asked under the lock
     * after each notify) or the timeout elapses; negative waits for ever. Returns whether it is done.
     */
    private boolean waitUntil(java.util.function.BooleanSupplier done, long timeoutNanos) throws InterruptedException {
        long deadline = Deadline.at(timeoutNanos);
        while (!done.getAsBoolean()) {
            long left = Deadline.remainingNanos(deadline);
            if (left <= 0) {
                return false;
            }
            if (deadline == Deadline.NEVER) {
                lock.wait();
            } else {
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
        }
        return true;
    }
}
