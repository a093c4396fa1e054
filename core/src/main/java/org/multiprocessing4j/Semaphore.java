package org.multiprocessing4j;

import java.io.Serializable;
import java.time.Duration;
import org.multiprocessing4j.internal.sync.SemaphoreCore;

/**
 * A counting semaphore shared by processes and threads, Python's {@code multiprocessing.Semaphore}.
 *
 * <p>{@link #acquire()} takes one permit, waiting while there is none; {@link #release()} adds one,
 * from any thread of any process, without limit (see {@link BoundedSemaphore} for a bounded one).
 * Waiters sleep without using CPU. Permits have no owner, so a process that dies after acquiring
 * does not give its permits back: a semaphore is often released by another process than the one
 * that acquired, and returning them would count twice. {@link BoundedSemaphore} does return them.
 *
 * <p>Blocking: {@link #acquire()} and {@link #acquire(Duration)} are unchecked (an interrupt is a
 * {@link ProcessError} with the {@code InterruptedException} as cause, flag restored); timeouts as for
 * {@link Lock}. A serializable handle; {@link #close()} as for {@link Lock}.
 */
public class Semaphore implements AutoCloseable, Serializable {
    private static final long serialVersionUID = 1L;

    private final String name;
    private final boolean bounded;
    private final transient SemaphoreCore core;

    /** A semaphore with one permit. */
    public Semaphore() {
        this(1);
    }

    /**
     * A semaphore with {@code value} permits.
     *
     * @throws IllegalArgumentException if {@code value} is negative
     */
    public Semaphore(int value) {
        this(SemaphoreCore.create(value, false), false);
    }

    Semaphore(SemaphoreCore core, boolean bounded) {
        this.core = core;
        this.bounded = bounded;
        this.name = core.block().name();
    }

    /**
     * Takes a permit, waiting while there is none.
     *
     * @throws ProcessError if interrupted (the interrupt flag stays set)
     */
    public void acquire() {
        acquire(null);
    }

    /**
     * Takes a permit, waiting at most {@code timeout}; {@link Duration#ZERO} tries once; null waits forever.
     *
     * @return true if taken, false if the timeout passed first
     * @throws ProcessError if interrupted (the interrupt flag stays set)
     * @throws IllegalArgumentException if the timeout is negative
     */
    public boolean acquire(Duration timeout) {
        return TimedWait.within(core::acquire, timeout, "waiting for a semaphore");
    }

    /** Adds a permit and wakes a waiter. */
    public void release() {
        core.release(1);
    }

    /**
     * Adds {@code n} permits (Python 3.9's {@code release(n)}).
     *
     * @throws IllegalArgumentException if {@code n} is less than 1
     * @throws IllegalStateException if a {@link BoundedSemaphore} would go above its bound (nothing is added)
     */
    public void release(int n) {
        core.release(n);
    }

    /** The number of permits now (Python's {@code get_value()}). */
    public int getValue() {
        return core.value();
    }

    SemaphoreCore core() {
        return core;
    }

    /** As {@link Lock#close()}. */
    @Override
    public void close() {
        core.block().close();
    }

    @Override
    public String toString() {
        return "<" + getClass().getSimpleName() + "(value=" + getValue() + ")>";
    }

    /** Package-private, not private: it must apply to {@link BoundedSemaphore} too. */
    Object writeReplace() {
        return new Handle(name, bounded);
    }

    private record Handle(String name, boolean bounded) implements Serializable {
        private Object readResolve() {
            SemaphoreCore c = SemaphoreCore.attach(name, bounded);
            return bounded ? new BoundedSemaphore(c) : new Semaphore(c, false);
        }
    }
}
