package org.multiprocessing4j;

import java.io.Serializable;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.multiprocessing4j.internal.sync.LockCore;
import org.multiprocessing4j.internal.wait.Deadline;

/**
 * What {@link Lock} and {@link RLock} share: a lock word in shared memory ({@link LockCore}), the
 * Python names and {@link java.util.concurrent.locks.Lock}. Not API by itself.
 */
abstract sealed class SharedLock implements java.util.concurrent.locks.Lock, AutoCloseable, Serializable
        permits Lock, RLock {
    private static final long serialVersionUID = 1L;

    private final String name;
    private final transient LockCore core;

    SharedLock(LockCore core) {
        this.core = core;
        this.name = core.block().name();
    }

    /**
     * Waits until the lock is free and takes it (an {@link RLock}: one more level, if this thread holds it).
     *
     * @throws ProcessError if interrupted (the interrupt flag stays set)
     */
    public void acquire() {
        acquire(null);
    }

    /**
     * Waits at most {@code timeout} for the lock; {@link Duration#ZERO} tries once; null waits forever.
     *
     * @return true if it was taken, false when the timeout passed first
     * @throws ProcessError if interrupted (the interrupt flag stays set)
     * @throws IllegalArgumentException if the timeout is negative
     */
    public boolean acquire(Duration timeout) {
        return TimedWait.within(core::acquire, timeout, "waiting for a lock");
    }

    /**
     * Releases the lock (an {@link RLock}: one level).
     *
     * @throws IllegalStateException if it is not locked ({@link Lock}) or not held by this thread ({@link RLock})
     */
    public void release() {
        core.release();
    }

    /** True if some thread of some process holds the lock now. */
    public boolean isLocked() {
        return core.isLocked();
    }

    /**
     * True if the calling thread holds the lock and took it over from a process that died holding it.
     * Turns false when the lock is released.
     */
    public boolean ownerDied() {
        return core.ownerDied();
    }

    /** The name of the shared-memory segment the lock lives in. */
    public String name() {
        return name;
    }

    /** Acquires, waiting as long as it takes; an interrupt is kept for later, not thrown. */
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
        return core.acquire(true, Deadline.at(Math.max(0, unit.toNanos(time))));
    }

    /** {@link #release()}. */
    @Override
    public void unlock() {
        release();
    }

    /** A {@link Condition} bound to this lock, usable by any process. */
    @Override
    public Condition newCondition() {
        return new Condition(this, false);
    }

    /** {@code <Lock(mp4j-…, unlocked)>}, {@code <RLock(mp4j-…, owner=1234)>}. */
    @Override
    public String toString() {
        int owner = core.ownerPid();
        return "<" + getClass().getSimpleName() + "(" + name + ", " + (owner == 0 ? "unlocked" : "owner=" + owner) + ")>";
    }

    /** Ends this handle's use; in the creating process, also stops new processes from attaching. */
    @Override
    public void close() {
        core.block().close();
    }

    LockCore core() {
        return core;
    }

    /** The serialized form: the segment's name, attached again by the receiver. */
    Object writeReplace() {
        return new Handle(name, core.reentrant());
    }

    private record Handle(String name, boolean reentrant) implements Serializable {
        private Object readResolve() {
            return reentrant ? RLock.attach(name) : Lock.attach(name);
        }
    }
}
