package org.multiprocessing4j.internal.sync;

import static org.multiprocessing4j.internal.sync.SyncLayout.*;

/**
 * A Lock or RLock in shared memory. The WORD is the owner (pid and thread tag) or 0; its WAITERS bit
 * says a thread sleeps on it, so that a release without the bit is one compare-and-set and a release
 * with it also rings the sleepers. An RLock keeps its depth in COUNT, written only by its owner.
 *
 * <p>Robust: a thread that has waited {@link SyncBlock#LOOK_NANOS} checks the owner's pid; if that
 * process is gone, the waiter takes the lock over, {@link #ownerDied()} turns true for it, and a
 * warning is logged. Data the dead owner was changing under the lock may be half-written.
 */
public final class LockCore implements SyncBlock.Waiter {
    private static final System.Logger LOG = System.getLogger("org.multiprocessing4j");

    private final SyncBlock b;
    private final boolean reentrant;
    /** The owner word of the thread that took the lock over from a dead process, while it holds it. */
    private volatile long recoveredBy;

    private LockCore(SyncBlock b, boolean reentrant) {
        this.b = b;
        this.reentrant = reentrant;
    }

    public static LockCore create(boolean reentrant) {
        return new LockCore(SyncBlock.create(reentrant ? KIND_RLOCK : KIND_LOCK, x -> { }), reentrant);
    }

    public static LockCore attach(String name, boolean reentrant) {
        return new LockCore(SyncBlock.attach(name, reentrant ? KIND_RLOCK : KIND_LOCK), reentrant);
    }

    public SyncBlock block() {
        return b;
    }

    public boolean reentrant() {
        return reentrant;
    }

    /** One attempt; never blocks. */
    @Override
    public boolean attempt() {
        long me = SyncBlock.ownerWord();
        long w = b.getLong(WORD);
        long owner = w & ~WAITERS_BIT;
        if (owner == 0) {
            if (b.casLong(WORD, w, me | (w & WAITERS_BIT))) {
                if (reentrant) {
                    b.putInt(COUNT, 1);
                }
                return true;
            }
            return false;
        }
        if (reentrant && owner == me) {
            b.putInt(COUNT, b.getInt(COUNT) + 1);
            return true;
        }
        return false;
    }

    @Override
    public boolean beforeSleep() {
        long w = b.getLong(WORD);
        if ((w & ~WAITERS_BIT) == 0) {
            return false; // free now: attempt again
        }
        return (w & WAITERS_BIT) != 0 || b.casLong(WORD, w, w | WAITERS_BIT);
    }

    @Override
    public long lookNanos() {
        return SyncBlock.LOOK_NANOS;
    }

    @Override
    public boolean afterLongSleep() {
        long w = b.getLong(WORD);
        int pid = SyncBlock.ownerPid(w);
        if (pid == 0 || SyncBlock.alive(pid)) {
            return false;
        }
        long me = SyncBlock.ownerWord();
        if (!b.casLong(WORD, w, me | WAITERS_BIT)) { // keep the bit: others may sleep too
            return false;
        }
        if (reentrant) {
            b.putInt(COUNT, 1);
        }
        recoveredBy = me;
        LOG.log(System.Logger.Level.WARNING, "{0} {1}: process {2} died holding it; taken over by process {3}",
                kindName(b.kind), b.name(), Integer.toString(pid), Integer.toString(SyncBlock.pid()));
        return true;
    }

    /**
     * Acquires, waiting until {@code deadline} if {@code timed}.
     *
     * @return false on timeout
     */
    public boolean acquire(boolean timed, long deadline) throws InterruptedException {
        b.checkOpen();
        if (attempt()) {
            return true;
        }
        if (timed && deadline - System.nanoTime() <= 0) {
            return false;
        }
        return b.await(this, timed, deadline);
    }

    /**
     * Releases: a Lock by any thread of any process, an RLock by its owner only (one level).
     *
     * @throws IllegalStateException if the lock is not held (Lock) or not held by this thread (RLock)
     */
    public void release() {
        b.checkOpen();
        long me = SyncBlock.ownerWord();
        if (reentrant) {
            long w = b.getLong(WORD);
            if ((w & ~WAITERS_BIT) != me) {
                throw new IllegalStateException("cannot release an RLock this thread does not hold");
            }
            int depth = b.getInt(COUNT);
            if (depth > 1) {
                b.putInt(COUNT, depth - 1);
                return;
            }
            b.putInt(COUNT, 0);
        }
        while (true) {
            long w = b.getLong(WORD);
            if ((w & ~WAITERS_BIT) == 0) {
                throw new IllegalStateException("release of an unlocked lock");
            }
            if ((w & ~WAITERS_BIT) == recoveredBy) {
                recoveredBy = 0;
            }
            if (b.casLong(WORD, w, 0)) {
                if ((w & WAITERS_BIT) != 0) {
                    b.wakeAll();
                }
                return;
            }
        }
    }

    /** For a Condition: releases an RLock whatever its depth, returning the depth. */
    public int releaseAll() {
        int depth = reentrant ? b.getInt(COUNT) : 1;
        if (reentrant) {
            b.putInt(COUNT, 1);
        }
        release();
        return depth;
    }

    /** For a Condition: acquires, then restores the depth {@link #releaseAll} returned. */
    public void reacquire(int depth) throws InterruptedException {
        acquire(false, 0);
        if (reentrant) {
            b.putInt(COUNT, depth);
        }
    }

    public boolean isLocked() {
        return (b.getLong(WORD) & ~WAITERS_BIT) != 0;
    }

    /** True if the calling thread holds it. */
    public boolean isMine() {
        return (b.getLong(WORD) & ~WAITERS_BIT) == SyncBlock.ownerWord();
    }

    public boolean ownerDied() {
        return recoveredBy != 0 && recoveredBy == SyncBlock.ownerWord() && isMine();
    }

    /** The owner's pid, or 0 if free. */
    public int ownerPid() {
        return SyncBlock.ownerPid(b.getLong(WORD));
    }

    public int depth() {
        return reentrant ? b.getInt(COUNT) : (isLocked() ? 1 : 0);
    }
}
