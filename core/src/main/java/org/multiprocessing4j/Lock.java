package org.multiprocessing4j;

import java.io.Serializable;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.multiprocessing4j.internal.sync.LockCore;
import org.multiprocessing4j.internal.sync.SyncBlock;

/**
 * A lock shared by processes and threads, Python's {@code multiprocessing.Lock}, and a
 * {@link java.util.concurrent.locks.Lock}.
 *
 * <p>Not re-entrant: a thread that acquires it twice waits for itself. Any thread of any process may
 * release it, as in Python; releasing it when it is not locked throws {@link IllegalStateException}.
 * It is not fair: a thread that releases and acquires again at once may come first.
 *
 * <p>The lock lives in a shared-memory segment; a lock is a serializable handle: capture it in a
 * {@link Process} target, send it through a {@link Queue} or a {@link Connection}, and the receiver
 * works on the same lock. An uncontended acquire and release are two atomic instructions; a waiting
 * thread spins briefly, then sleeps without using CPU until the holder releases.
 *
 * <p><b>When the holder dies.</b> Unlike Python's, this lock does not stay locked forever when the
 * process holding it dies: a thread that waits notices within about 100 ms, takes the lock over, and
 * {@link #ownerDied()} returns true for it (like a robust mutex's {@code EOWNERDEAD}); a warning is
 * logged. What the dead process was changing under the lock may be half done.
 *
 * <p>Blocking: {@link #acquire()} and {@link #acquire(Duration)} are unchecked (an interrupt is a
 * {@link ProcessError} with the {@code InterruptedException} as cause, the interrupt flag restored);
 * {@link #lockInterruptibly()} and {@link #tryLock(long, TimeUnit)} throw {@code InterruptedException};
 * {@link #lock()} ignores interrupts until it has the lock, as the interface says.
 *
 * <p>{@link #close()}: in the process that created the lock, no process can attach to it any more
 * (handles already received keep working); elsewhere it only ends this handle's use. A lock that
 * its creating process never closes is removed when that process drops its last reference to it
 * (as Python does) or when the program ends; pass it to the processes that need it before then.
 */
public final class Lock implements java.util.concurrent.locks.Lock, AutoCloseable, Serializable {
    private static final long serialVersionUID = 1L;

    private final String name;
    private final transient LockCore core;

    /** A new, unlocked lock. */
    public Lock() {
        this(LockCore.create(false));
    }

    private Lock(LockCore core) {
        this.core = core;
        this.name = core.block().name();
    }

    /**
     * Waits until the lock is free and takes it.
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
     * Releases the lock; any thread of any process may.
     *
     * @throws IllegalStateException if it is not locked
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

    // ---- java.util.concurrent.locks.Lock -------------------------------------------------------------

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
        return core.acquire(true, System.nanoTime() + Math.max(0, unit.toNanos(time)));
    }

    /** {@link #release()}. */
    @Override
    public void unlock() {
        release();
    }

    /** A {@link Condition} bound to this lock, usable by any process. */
    @Override
    public Condition newCondition() {
        return new Condition(this);
    }

    /** Ends this handle's use; in the creating process, also stops new processes from attaching. */
    @Override
    public void close() {
        core.block().close();
    }

    LockCore core() {
        return core;
    }

    static Lock attach(String name) {
        return new Lock(LockCore.attach(name, false));
    }

    @Override
    public String toString() {
        int owner = core.ownerPid();
        return "<Lock(" + name + ", " + (owner == 0 ? "unlocked" : "owner=" + owner) + ")>";
    }

    private Object writeReplace() {
        return new Handle(name);
    }

    private record Handle(String name) implements Serializable {
        private Object readResolve() {
            return new Lock(LockCore.attach(name, false));
        }
    }
}
