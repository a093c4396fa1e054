package org.multiprocessing4j;

import org.multiprocessing4j.internal.sync.LockCore;

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
 * {@link #lock()} ignores interrupts until it has the lock, as the interface says. For
 * {@link #acquire(Duration)}, a null timeout waits for ever, zero tries once, a negative one is an
 * {@link IllegalArgumentException}; {@code tryLock(long, TimeUnit)} follows the interface (a negative
 * time tries once).
 *
 * <p>{@link #close()}: in the process that created the lock, no process can attach to it any more
 * (handles already received keep working; one that arrives later cannot attach, and the call that
 * receives it fails); elsewhere it only ends this handle's use. Either way, later calls on this handle
 * throw {@link IllegalStateException}, threads already waiting on it are not woken, and closing twice
 * is allowed. A lock that
 * its creating process never closes is removed when that process drops its last reference to it
 * (as Python does) or when the program ends; pass it to the processes that need it before then.
 */
public final class Lock extends SharedLock {
    private static final long serialVersionUID = 1L;

    /** A new, unlocked lock. */
    public Lock() {
        this(LockCore.create(false));
    }

    private Lock(LockCore core) {
        super(core);
    }

    static Lock attach(String name) {
        return new Lock(LockCore.attach(name, false));
    }
}
