package org.multiprocessing4j.internal.pool;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** What every {@link Engine} keeps the same way: its size, ids, lock, lifecycle state, and the join. */
abstract class EngineBase implements Engine {
    enum State { RUNNING, SHUTDOWN, TERMINATED }

    final int size;
    final Object lock = new Object();
    State state = State.RUNNING; // guarded by lock
    private final AtomicLong taskIds = new AtomicLong();
    private final AtomicInteger fnIds = new AtomicInteger();

    EngineBase(int size) {
        this.size = size;
    }

    /** Whether every worker has ended. Caller holds the lock, which is notified when one ends. */
    abstract boolean workersGone();

    @Override
    public int size() {
        return size;
    }

    @Override
    public int newFunctionId() {
        return fnIds.incrementAndGet();
    }

    long newTaskId() {
        return taskIds.incrementAndGet();
    }

    /**
     * Caller holds the lock.
     *
     * @throws IllegalStateException if the pool was shut down or terminated
     */
    void checkRunning() {
        if (state != State.RUNNING) {
            throw new IllegalStateException("the pool is " + (state == State.SHUTDOWN ? "shut down" : "terminated")
                    + "; it takes no new work");
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
        long deadline = timeoutNanos < 0 ? Long.MAX_VALUE : System.nanoTime() + timeoutNanos;
        synchronized (lock) {
            while (state == State.RUNNING) { // shutdown() and terminate() notify the lock
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                if (deadline == Long.MAX_VALUE) {
                    lock.wait();
                } else {
                    TimeUnit.NANOSECONDS.timedWait(lock, left);
                }
            }
            return true;
        }
    }

    /** @throws IllegalStateException if the pool is still running (Python: "pool is still running") */
    @Override
    public boolean join(long timeoutNanos) throws InterruptedException {
        long deadline = timeoutNanos < 0 ? Long.MAX_VALUE : System.nanoTime() + timeoutNanos;
        synchronized (lock) {
            if (state == State.RUNNING) {
                throw new IllegalStateException("the pool is still running: shutdown() or terminate() it first");
            }
            while (!workersGone()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                if (deadline == Long.MAX_VALUE) {
                    lock.wait();
                } else {
                    TimeUnit.NANOSECONDS.timedWait(lock, left);
                }
            }
            return true;
        }
    }
}
