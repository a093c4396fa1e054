package org.multiprocessing4j;

import java.io.Serializable;
import java.util.Objects;
import org.multiprocessing4j.internal.shm.ValueBlock;

/**
 * A fixed-length array of {@code double}s in shared memory: Python's {@code Array('d', …)}
 * ({@link Array#ofDoubles(int)}), or without a lock {@code RawArray('d', …)} ({@link Array#rawDoubles(int)}).
 *
 * <p>A serializable handle: capture it in a {@link Process} target, or send it through a {@link Queue}
 * or a {@link Connection}, and the receiver works on the same elements.
 *
 * <p><b>Memory ordering.</b> {@link #get(int)} and {@link #set(int, double)} are volatile reads and
 * writes of one element's 64 bits. {@link #addAndGet(int, double)} and {@link #getAndAdd(int, double)}
 * are compare-and-set loops on those bits, exact however many processes add at once;
 * {@link #compareAndSet(int, double, double)} compares bits, as {@link SharedDouble#compareAndSet} does.
 * None of them takes the lock. {@link #toArray()} reads the elements one by one, in index order: it is
 * not a snapshot of the whole array unless no process writes meanwhile.
 *
 * <p>An index outside {@code 0..length()-1} throws {@link IndexOutOfBoundsException}.
 *
 * <p><b>The lock</b>, and {@link #close()}: as for {@link SharedInt}.
 */
public final class SharedDoubleArray extends SharedBlock implements AutoCloseable, Serializable {
    private static final long serialVersionUID = 1L;

    SharedDoubleArray(ValueBlock block, RLock lock) {
        super(Face.DOUBLE_ARRAY, block, lock);
    }

    static SharedDoubleArray create(int length, boolean locked) {
        return (SharedDoubleArray) create(Face.DOUBLE_ARRAY, length, x -> { }, locked);
    }

    static SharedDoubleArray create(double[] values, boolean locked) {
        Objects.requireNonNull(values, "values");
        return (SharedDoubleArray) create(Face.DOUBLE_ARRAY, values.length, x -> x.initDoubles(values), locked);
    }

    /** The number of elements, fixed at creation. */
    public int length() {
        return block.length();
    }

    /** Element {@code index} (a volatile read). */
    public double get(int index) {
        return block.getDouble(index);
    }

    /** Sets element {@code index} (a volatile write). */
    public void set(int index, double value) {
        block.putDouble(index, value);
    }

    /** Adds {@code delta} to element {@code index} atomically; returns the new value. */
    public double addAndGet(int index, double delta) {
        return block.getAndAddDouble(index, delta) + delta;
    }

    /** Adds {@code delta} to element {@code index} atomically; returns the old value. */
    public double getAndAdd(int index, double delta) {
        return block.getAndAddDouble(index, delta);
    }

    /**
     * Sets element {@code index} to {@code update} if its bits are those of {@code expected}, atomically;
     * true if it did.
     */
    public boolean compareAndSet(int index, double expected, double update) {
        return block.casDouble(index, expected, update);
    }

    /** A copy of the elements (Python's {@code arr[:]}), read one by one. */
    public double[] toArray() {
        return block.toDoubles();
    }

    /**
     * The lock shared with every process that has this array, a re-entrant {@link RLock}, for updates
     * of several elements or compound updates of one.
     *
     * @throws IllegalStateException if the array is raw ({@link Array#rawDoubles(int)}) or closed
     */
    public RLock getLock() {
        return lock();
    }

    /** {@code SharedDoubleArray[0, 1, 4]} (the first 100 elements and the length when longer), or {@code SharedDoubleArray(closed)}. */
    @Override
    public String toString() {
        return block.describe(() -> {
            double[] a = toArray();
            return Array.show(a.length, i -> Double.toString(a[i]));
        });
    }
}
