package org.multiprocessing4j;

import org.multiprocessing4j.internal.sync.LockCore;

/**
 * A re-entrant lock shared by processes and threads, Python's {@code multiprocessing.RLock}, and a
 * {@link java.util.concurrent.locks.Lock}.
 *
 * <p>The thread that holds it may acquire it again; it is free once that thread has released it as
 * many times as it acquired it. Only the holding thread may release it: any other thread (of this or
 * another process) gets {@link IllegalStateException}.
 *
 * <p>Everything else is as for {@link Lock}: a serializable handle; blocking, timeouts and
 * {@link #close()}; and a holder that dies, whose lock a waiter takes over ({@link #ownerDied()}).
 */
public final class RLock extends SharedLock {
    private static final long serialVersionUID = 1L;

    /** A new, unlocked re-entrant lock. */
    public RLock() {
        this(LockCore.create(true));
    }

    private RLock(LockCore core) {
        super(core);
    }

    static RLock attach(String name) {
        return new RLock(LockCore.attach(name, true));
    }

    /** True if the calling thread holds it. */
    public boolean isHeldByCurrentThread() {
        return core().isMine();
    }

    /** How many times the calling thread holds it (0 if it does not). */
    public int getHoldCount() {
        return core().depth();
    }
}
