package org.multiprocessing4j.internal.sync;

import static org.multiprocessing4j.internal.sync.SyncLayout.*;

import org.multiprocessing4j.internal.shm.Ordered;

/**
 * A Semaphore or BoundedSemaphore in shared memory: the value in COUNT, changed by compare-and-set;
 * a release rings the sleepers if WAITERS says there are any.
 *
 * <p>A bounded semaphore guards a resource, so it keeps in HOLDERS how many permits each process holds
 * (acquired and not yet released by it). A waiter that has slept {@link SyncBlock#LOOK_NANOS} returns
 * the permits of processes that died holding them, and the next thread to acquire is told
 * ({@link #ownerDied()}). A plain semaphore is a counter that one process may release for another,
 * so its permits have no owner and nothing is returned.
 */
public final class SemaphoreCore implements SyncBlock.Waiter {

    private final SyncBlock b;
    private final boolean bounded;
    private int holderSlot = -1; // this process's HOLDERS entry, once taken; guarded by this
    private volatile boolean recovered; // permits of a dead process came back; the next acquirer is told
    private final ThreadLocal<Boolean> died = ThreadLocal.withInitial(() -> false);

    private SemaphoreCore(SyncBlock b, boolean bounded) {
        this.b = b;
        this.bounded = bounded;
    }

    public static SemaphoreCore create(int value, boolean bounded) {
        if (value < 0) {
            throw new IllegalArgumentException("a semaphore's initial value cannot be negative: " + value);
        }
        return new SemaphoreCore(SyncBlock.create(bounded ? KIND_BOUNDED_SEMAPHORE : KIND_SEMAPHORE, blk -> {
            blk.putInt(COUNT, value);
            blk.putInt(LIMIT, value);
        }), bounded);
    }

    public static SemaphoreCore attach(String name, boolean bounded) {
        return new SemaphoreCore(SyncBlock.attach(name, bounded ? KIND_BOUNDED_SEMAPHORE : KIND_SEMAPHORE), bounded);
    }

    public SyncBlock block() {
        return b;
    }

    @Override
    public boolean attempt() {
        while (true) {
            int c = b.getInt(COUNT);
            if (c <= 0) {
                return false;
            }
            if (b.casInt(COUNT, c, c - 1)) {
                if (bounded) {
                    b.getAndAddInt(holderOffset(), 1);
                    if (recovered) {
                        recovered = false;
                        died.set(true);
                    }
                }
                return true;
            }
        }
    }

    @Override
    public long lookNanos() {
        return bounded ? SyncBlock.LOOK_NANOS : SyncBlock.IDLE_LOOK_NANOS;
    }

    @Override
    public boolean afterLongSleep() {
        if (!bounded) {
            return false;
        }
        for (int i = 0; i < HOLDER_COUNT; i++) {
            int at = holder(i);
            int pid = b.getInt(at);
            if (pid == 0 || SyncBlock.alive(pid)) {
                continue;
            }
            int held = b.getInt(at + 4);
            if (b.casInt(at, pid, -1)) { // claimed for clearing: nobody else returns these permits
                b.putInt(at + 4, 0);
                b.putInt(at, 0);
                if (held > 0) {
                    recovered = true;
                    b.getAndAddInt(COUNT, held);
                    b.wakeIfWaiting();
                    System.getLogger("org.multiprocessing4j.sync").log(System.Logger.Level.WARNING, // looked up here only
                            "{0} {1}: process {2} died holding {3} permit(s); returned",
                            kindName(b.kind), b.name(), Integer.toString(pid), Integer.toString(held));
                }
            }
        }
        return false; // attempt() takes a returned permit
    }

    public boolean acquire(boolean timed, long deadline) throws InterruptedException {
        b.checkOpen();
        died.set(false);
        return attempt() || b.await(this, timed, deadline);
    }

    /**
     * Adds {@code n} to the value and wakes waiters.
     *
     * @throws IllegalStateException (bounded) if that would exceed the initial value
     */
    public void release(int n) {
        b.checkOpen();
        if (n < 1) {
            throw new IllegalArgumentException("release at least one permit, not " + n);
        }
        if (bounded) {
            int limit = b.getInt(LIMIT);
            while (true) {
                int c = b.getInt(COUNT);
                if (c + n > limit) {
                    throw new IllegalStateException("semaphore released too many times (value " + c
                            + ", bound " + limit + ")");
                }
                if (b.casInt(COUNT, c, c + n)) {
                    break;
                }
            }
            int at = holderOffset();
            for (int i = 0; i < n; i++) {
                int h;
                do {
                    h = b.getInt(at);
                } while (h > 0 && !b.casInt(at, h, h - 1)); // 0: a permit another process acquired
            }
        } else {
            b.getAndAddInt(COUNT, n);
        }
        b.wakeIfWaiting();
    }

    public int value() {
        return b.getInt(COUNT);
    }

    /** True if the calling thread's last acquire took a permit that a dead process had held. */
    public boolean ownerDied() {
        return died.get();
    }

    /** The offset of this process's "permits held" counter (its HOLDERS entry + 4). */
    private synchronized int holderOffset() {
        if (holderSlot < 0) {
            int pid = SyncBlock.pid();
            for (int i = 0; i < HOLDER_COUNT && holderSlot < 0; i++) {
                if (b.getInt(holder(i)) == pid) {
                    holderSlot = i;
                }
            }
            for (int i = 0; i < HOLDER_COUNT && holderSlot < 0; i++) {
                if (b.casInt(holder(i), 0, pid)) {
                    b.putInt(holder(i) + 4, 0);
                    holderSlot = i;
                }
            }
            if (holderSlot < 0) {
                return SyncLayout.TICKET; // no entry free: count in a field nobody reads for a semaphore
            }
        }
        return holder(holderSlot) + 4;
    }
}
