package org.multiprocessing4j.internal.sync;

import static org.multiprocessing4j.internal.sync.SyncLayout.*;

/**
 * A Lock or RLock in shared memory. The WORD is the owner (pid and thread tag) or 0; its WAITERS bit
 * says a thread sleeps on it, so that an acquire of a free lock and a release without the bit are one
 * compare-and-set each, and a release with it also rings the sleepers. An RLock's hold count stays in
 * the holding JVM (see {@link Holding}).
 *
 * <p>Robust: a thread that has waited {@link SyncBlock#LOOK_NANOS} checks the owner's pid; if that
 * process is gone, the waiter takes the lock over, {@link #ownerDied()} turns true for it, and a
 * warning is logged. Data the dead owner was changing under the lock may be half-written.
 */
public final class LockCore implements SyncBlock.Waiter {

    private final SyncBlock b;
    private final boolean reentrant;
    /** The owner word of the thread that took the lock over from a dead process, while it holds it. */
    private volatile long recoveredBy;
    /** RLock: who holds it in this JVM; shared by every handle to the same lock here. Null for a Lock. */
    private final Holding holding;

    /**
     * An RLock's holding thread of this JVM and its hold count. Only that thread writes them, and no
     * other JVM needs them (a process that takes the lock over from a dead one starts at 1), so they are
     * not in shared memory: a re-entrant acquire or release touches no shared memory at all. One per lock
     * and JVM, because one JVM may hold several handles to the same lock (a Condition's and a value's, or
     * the same RLock received twice).
     */
    private static final class Holding {
        Thread holder;
        int depth;
    }

    private static final java.util.concurrent.ConcurrentHashMap<String, Holding> HOLDINGS =
            new java.util.concurrent.ConcurrentHashMap<>();

    private LockCore(SyncBlock b, boolean reentrant) {
        this.b = b;
        this.reentrant = reentrant;
        this.holding = reentrant ? HOLDINGS.computeIfAbsent(b.name(), n -> new Holding()) : null;
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

    /** One attempt; never blocks. A free lock without sleepers is one compare-and-set. */
    @Override
    public boolean attempt() {
        long me = SyncBlock.ownerWord();
        if (b.casLong(WORD, 0, me)) {
            took();
            return true;
        }
        long w = b.getLong(WORD);
        if ((w & ~WAITERS_BIT) == 0) {
            if (b.casLong(WORD, w, me | (w & WAITERS_BIT))) {
                took();
                return true;
            }
            return false;
        }
        if (reentrant && holding.holder == Thread.currentThread()) {
            holding.depth++;
            return true;
        }
        return false;
    }

    private void took() {
        if (reentrant) {
            holding.holder = Thread.currentThread();
            holding.depth = 1;
        }
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
        took();
        recoveredBy = me;
        // the logger is looked up here, not held in a static field: a first lookup sets up java.util.logging,
        // some 25 ms of a new JVM, which every child that used a lock paid
        System.getLogger("org.multiprocessing4j.sync").log(System.Logger.Level.WARNING,
                "{0} {1}: process {2} died holding it; taken over by process {3}",
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
        return attempt() || b.await(this, timed, deadline);
    }

    /**
     * Releases: a Lock by any thread of any process, an RLock by its owner only (one level).
     *
     * @throws IllegalStateException if the lock is not held (Lock) or not held by this thread (RLock)
     */
    public void release() {
        b.checkOpen();
        if (reentrant) {
            if (holding.holder != Thread.currentThread()) {
                throw new IllegalStateException("cannot release an RLock this thread does not hold");
            }
            if (holding.depth > 1) {
                holding.depth--;
                return;
            }
            holding.depth = 0;
            holding.holder = null;
        }
        long me = SyncBlock.ownerWord();
        if (recoveredBy == 0 && b.casLong(WORD, me, 0)) {
            return; // held by this thread, nobody sleeping: one compare-and-set
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
        int levels = reentrant ? holding.depth : 1;
        if (reentrant) {
            holding.depth = 1;
        }
        release();
        return levels;
    }

    /** For a Condition: acquires, then restores the depth {@link #releaseAll} returned. */
    public void reacquire(int levels) throws InterruptedException {
        acquire(false, 0);
        if (reentrant) {
            holding.depth = levels;
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

    /** How many times the calling thread holds it (an RLock), or 1 if the Lock is held by anyone. */
    public int depth() {
        if (reentrant) {
            return holding.holder == Thread.currentThread() ? holding.depth : 0;
        }
        return isLocked() ? 1 : 0;
    }
}
