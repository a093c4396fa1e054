package org.multiprocessing4j;

/**
 * A semaphore whose value never exceeds its initial value, Python's
 * {@code multiprocessing.BoundedSemaphore}: a {@link #release()} that would go above it throws
 * {@link IllegalStateException} (Python's {@code ValueError}).
 *
 * <p>A bounded semaphore guards a resource, so it remembers how many permits each process holds. When
 * a process dies holding some, a thread that waits for a permit returns them within about 100 ms, and
 * the thread that takes one of them is told by {@link #ownerDied()}; a warning is logged. Everything
 * else is as for {@link Semaphore}.
 */
public final class BoundedSemaphore extends Semaphore {
    private static final long serialVersionUID = 1L;

    /** A bounded semaphore with one permit. */
    public BoundedSemaphore() {
        this(1);
    }

    /**
     * A bounded semaphore with {@code value} permits, which is also its bound.
     *
     * @throws IllegalArgumentException if {@code value} is negative
     */
    public BoundedSemaphore(int value) {
        super(org.multiprocessing4j.internal.sync.SemaphoreCore.create(value, true), true);
    }

    BoundedSemaphore(org.multiprocessing4j.internal.sync.SemaphoreCore core) {
        super(core, true);
    }

    /** True if the calling thread's last acquire took a permit that a dead process had held. */
    public boolean ownerDied() {
        return core().ownerDied();
    }
}
