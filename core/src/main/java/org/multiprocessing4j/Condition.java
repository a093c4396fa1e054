package org.multiprocessing4j;

import java.io.Serializable;
import java.time.Duration;
import java.util.Date;
import java.util.concurrent.TimeUnit;
import org.multiprocessing4j.internal.sync.ConditionCore;
import org.multiprocessing4j.internal.sync.SyncBlock;
import org.multiprocessing4j.internal.wait.Deadline;

/**
 * A condition variable shared by processes and threads, Python's {@code multiprocessing.Condition},
 * and a {@link java.util.concurrent.locks.Condition}.
 *
 * <p>Bound to a {@link Lock} or an {@link RLock} (by default a new RLock of its own); every method
 * but {@link #acquire()}/{@link #release()} must be called with that lock held by the calling thread,
 * or it throws {@link IllegalStateException}. {@link #await()} releases the lock (all levels of an
 * RLock), sleeps until signalled, and takes the lock back before it returns or throws.
 * {@link #signal(int)} wakes the {@code n} threads that have waited longest, in whatever processes
 * they are; a signal with nobody waiting is lost, as in Python. Spurious wake-ups do not happen, but
 * a woken thread must still check what it waited for: another may have come first
 * ({@link #awaitFor} does that loop).
 *
 * <p>Blocking: {@link #await()} and the other methods of the interface throw
 * {@code InterruptedException}; the Python-named {@link #await(Duration)} and {@link #awaitFor} are
 * unchecked (a {@link ProcessError} with the {@code InterruptedException} as cause, flag restored);
 * timeouts as for {@link Lock}: {@link #await(Duration)} refuses a negative one, the interface's
 * {@code await(long, TimeUnit)}, {@code awaitNanos} and {@code awaitUntil} take it as zero. A serializable handle, like {@link Lock}; its lock travels with it. At
 * most 120 threads may wait on one condition at once: one more gets {@link IllegalStateException}.
 * {@link #close()} as for {@link Lock}, and closes the lock if the condition made it.
 */
public final class Condition implements java.util.concurrent.locks.Condition, AutoCloseable, Serializable {
    private static final long serialVersionUID = 1L;

    private final String name;
    private final SharedLock lock; // a Lock or an RLock
    private final boolean ownLock;
    private final transient ConditionCore core;

    /** A condition with a new {@link RLock} of its own. */
    public Condition() {
        this(new RLock(), true);
    }

    /** A condition bound to {@code lock}. */
    public Condition(Lock lock) {
        this(lock, false);
    }

    /** A condition bound to {@code lock}. */
    public Condition(RLock lock) {
        this(lock, false);
    }

    Condition(SharedLock lock, boolean ownLock) {
        this.lock = lock;
        this.ownLock = ownLock;
        this.core = ConditionCore.create(lock.core());
        this.name = core.block().name();
    }

    private Condition(String name, SharedLock lock, boolean ownLock) {
        this.name = name;
        this.lock = lock;
        this.ownLock = ownLock;
        this.core = ConditionCore.attach(name, lock.core());
    }

    /** The lock this condition is bound to: a {@link Lock} or an {@link RLock}. */
    public java.util.concurrent.locks.Lock getLock() {
        return lock;
    }

    /** Acquires the lock (Python's {@code with cond:}). */
    public void acquire() {
        lock.acquire();
    }

    /** Acquires the lock, waiting at most {@code timeout}, as {@link Lock#acquire(Duration)} does. */
    public boolean acquire(Duration timeout) {
        return lock.acquire(timeout);
    }

    /** Releases the lock. */
    public void release() {
        lock.unlock();
    }

    /**
     * Releases the lock, waits until signalled, takes the lock back.
     *
     * @throws InterruptedException if interrupted; the lock is held again when it is thrown
     * @throws IllegalStateException if the calling thread does not hold the lock
     */
    @Override
    public void await() throws InterruptedException {
        core.await(false, 0);
    }

    /**
     * Waits at most {@code timeout} (null: forever) for a signal.
     *
     * @return true if signalled, false if the timeout passed first
     * @throws ProcessError if interrupted (the lock is held again, the flag set)
     * @throws IllegalArgumentException if the timeout is negative
     */
    public boolean await(Duration timeout) {
        return TimedWait.within(core::await, timeout, "waiting on a condition");
    }

    /**
     * Waits until {@code predicate} is true, at most {@code timeout} (null: forever), checking it
     * first and after every wake-up, as Python's {@code wait_for}.
     *
     * @return the predicate's last value
     * @throws IllegalArgumentException if the timeout is negative
     */
    public boolean awaitFor(SerializableSupplier<Boolean> predicate, Duration timeout) {
        long deadline = SyncBlock.deadline(timeout);
        boolean result = Boolean.TRUE.equals(predicate.get());
        while (!result) {
            if (timeout != null) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                await(Duration.ofNanos(left));
            } else {
                await((Duration) null);
            }
            result = Boolean.TRUE.equals(predicate.get());
        }
        return result;
    }

    @Override
    public void awaitUninterruptibly() {
        try {
            core.await(false, 0);
        } catch (InterruptedException e) {
            // the lock is held again; a signal may have been missed, which the interface allows
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public long awaitNanos(long nanosTimeout) throws InterruptedException {
        long deadline = Deadline.at(Math.max(0, nanosTimeout));
        core.await(true, deadline);
        return deadline - System.nanoTime();
    }

    @Override
    public boolean await(long time, TimeUnit unit) throws InterruptedException {
        return core.await(true, Deadline.at(Math.max(0, unit.toNanos(time))));
    }

    @Override
    public boolean awaitUntil(Date deadline) throws InterruptedException {
        long ms = deadline.getTime() - System.currentTimeMillis();
        return core.await(true, Deadline.at(TimeUnit.MILLISECONDS.toNanos(Math.max(0, ms))));
    }

    /** Wakes the thread that has waited longest, if any. */
    @Override
    public void signal() {
        core.signal(1);
    }

    /** Wakes the {@code n} threads that have waited longest. */
    public void signal(int n) {
        core.signal(n);
    }

    /** Wakes every waiting thread. */
    @Override
    public void signalAll() {
        core.signal(Integer.MAX_VALUE);
    }

    @Override
    public void close() {
        core.block().close();
        if (ownLock && lock instanceof RLock r) {
            r.close();
        }
    }

    @Override
    public String toString() {
        return "<Condition(" + lock + ")>";
    }

    private Object writeReplace() {
        return new Handle(name, lock.name(), lock instanceof RLock, ownLock);
    }

    private record Handle(String name, String lockName, boolean reentrant, boolean ownLock) implements Serializable {
        private Object readResolve() {
            SharedLock l = reentrant ? RLock.attach(lockName) : Lock.attach(lockName);
            return new Condition(name, l, ownLock);
        }
    }
}
