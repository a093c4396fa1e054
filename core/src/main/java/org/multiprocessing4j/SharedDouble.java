package org.multiprocessing4j;

import java.io.Serializable;
import org.multiprocessing4j.internal.shm.ValueBlock;

/**
 * A {@code double} in shared memory: Python's {@code Value('d', x)} ({@link Value#ofDouble}), or
 * without a lock {@code RawValue('d', x)} ({@link Value#rawDouble}).
 *
 * <p>A serializable handle: capture it in a {@link Process} target, or send it through a {@link Queue}
 * or a {@link Connection}, and the receiver works on the same double.
 *
 * <p><b>Memory ordering.</b> {@link #get()} and {@link #set(double)} are volatile reads and writes of
 * the double's 64 bits. {@link #addAndGet(double)} and {@link #getAndAdd(double)} are compare-and-set
 * loops on those bits: exact (no update lost) however many processes add at once, though the sum of
 * doubles depends on the order of the additions, as always. {@link #compareAndSet(double, double)}
 * compares bits, not values: {@code -0.0} does not match {@code 0.0}, and a NaN matches a NaN with the
 * same bits. None of them takes the lock.
 *
 * <p><b>The lock</b>, and {@link #close()}: as for {@link SharedInt}.
 */
public final class SharedDouble extends SharedBlock implements AutoCloseable, Serializable {
    private static final long serialVersionUID = 1L;

    SharedDouble(ValueBlock block, RLock lock) {
        super(Face.DOUBLE, block, lock);
    }

    static SharedDouble create(double initial, boolean locked) {
        return (SharedDouble) create(Face.DOUBLE, 1, x -> x.initDoubles(new double[] {initial}), locked);
    }

    /** The value (a volatile read). */
    public double get() {
        return block.getDouble(0);
    }

    /** Sets the value (a volatile write). */
    public void set(double value) {
        block.putDouble(0, value);
    }

    /** Adds {@code delta} atomically; returns the new value. */
    public double addAndGet(double delta) {
        return block.getAndAddDouble(0, delta) + delta;
    }

    /** Adds {@code delta} atomically; returns the old value. */
    public double getAndAdd(double delta) {
        return block.getAndAddDouble(0, delta);
    }

    /**
     * Sets the value to {@code update} if its bits are those of {@code expected}, atomically; true if it did.
     */
    public boolean compareAndSet(double expected, double update) {
        return block.casDouble(0, expected, update);
    }

    /**
     * The lock shared with every process that has this value, for compound updates.
     *
     * @throws IllegalStateException if the value is raw ({@link Value#rawDouble}) or closed
     */
    public RLock getLock() {
        return lock();
    }

    /** {@code SharedDouble(2.5)}, or {@code SharedDouble(closed)}. */
    @Override
    public String toString() {
        return block.describe(() -> "(" + get() + ")");
    }
}
