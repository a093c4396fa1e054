package org.multiprocessing4j;

import java.io.Serializable;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.multiprocessing4j.internal.sync.LockCore;
import org.multiprocessing4j.internal.sync.SyncBlock;

/**
 * A re-entrant lock shared by processes and threads, Python's {@code multiprocessing.RLock}, and a
 * {@link java.util.concurrent.locks.Lock}.
 *
 * <p>The thread that holds it may acquire it again; it is free once that thread has released it as
 * many times as it acquired it. Only the holding thread may release it: any other thread (of this or
 * another process) gets {@link IllegalStateException}.
 *
 * <p>Everything else is as for {@link Lock}: a serializable handle to a lock in shared memory, two
 * atomic instructions when uncontended, sleeping waiters that use no CPU, and a holder that dies does
 * not block the others: a waiter takes it over within about 100 ms and {@link #ownerDied()} tells it.
 * Blocking and {@link #close()} as for {@link Lock}.
 */
public final class RLock implements java.util.concurrent.locks.Lock, AutoCloseable, Serializable {
    private static final long serialVersionUID = 1L;

    private final String name;
    private final transient LockCore core;

    /** A new, unlocked re-entrant lock. */
    public RLock() {
        this(LockCore.create(true));
    }

    private RLock(LockCore core) {
        this.core = core;
        this.name = core.block().name();
    }

    /**
     * Takes the lock, or one more level of it if this thread holds it.
     *
     * @throws ProcessError if interrupted (the interrupt flag stays set)
     */
    public void acquire() {
        acquire(null);
    }

    /**
     * Waits at most {@code timeout}; {@link Duration#ZERO} tries once; null waits forever.
     *
     * @return true if it was taken, false when the timeout passed first
     * @throws ProcessError if interrupted (the interrupt flag stays set)
     */
    public boolean acquire(Duration timeout) {
        try {
            return core.acquire(timeout != null, SyncBlock.deadline(timeout));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProcessError("interrupted while waiting for a lock", e);
        }
    }

    /**
     * Releases one level.
     *
     * @throws IllegalStateException if the calling thread does not hold it
     */
    public void release() {
        core.release();
    }

    /** True if some thread of some process holds it now. */
    public boolean isLocked() {
        return core.isLocked();
    }

    /** True if the calling thread holds it. */
    public boolean isHeldByCurrentThread() {
        return core.isMine();
    }

    /** How many times the calling thread holds it (0 if it does not). */
    public int getHoldCount() {
        return core.isMine() ? core.depth() : 0;
    }

    /** True if the calling thread holds it and took it over from a process that died holding it. */
    public boolean ownerDied() {
        return core.ownerDied();
    }

    /** The name of the shared-memory segment the lock lives in. */
    public String name() {
        return name;
    }

    @Override
    public void lock() {
        boolean interrupted = false;
        while (true) {
            try {
                core.acquire(false, 0);
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void lockInterruptibly() throws InterruptedException {
        core.acquire(false, 0);
    }

    @Override
    public boolean tryLock() {
        return acquire(Duration.ZERO);
    }

    @Override
    public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
        return core.acquire(true, System.nanoTime() + Math.max(0, unit.toNanos(time)));
    }

    @Override
    public void unlock() {
        release();
    }

    /** A {@link Condition} bound to this lock, usable by any process. */
    @Override
    public Condition newCondition() {
        return new Condition(this);
    }

    @Override
    public void close() {
        core.block().close();
    }

    LockCore core() {
        return core;
    }

    static RLock attach(String name) {
        return new RLock(LockCore.attach(name, true));
    }

    @Override
    public String toString() {
        int owner = core.ownerPid();
        return "<RLock(" + name + ", " + (owner == 0 ? "unlocked" : "owner=" + owner + ", count=" + core.depth()) + ")>";
    }

    private Object writeReplace() {
        return new Handle(name);
    }

    private record Handle(String name) implements Serializable {
        private Object readResolve() {
            return new RLock(LockCore.attach(name, true));
        }
    }
}
