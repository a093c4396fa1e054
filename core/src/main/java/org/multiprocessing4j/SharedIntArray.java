package org.multiprocessing4j;

import java.io.Serializable;
import java.util.Objects;
import org.multiprocessing4j.internal.shm.ValueBlock;

/**
 * A fixed-length array of {@code int}s in shared memory: Python's {@code Array('i', …)}
 * ({@link Array#ofInts(int)}), or without a lock {@code RawArray('i', …)} ({@link Array#rawInts(int)}).
 *
 * <p>A serializable handle: capture it in a {@link Process} target, or send it through a {@link Queue}
 * or a {@link Connection}, and the receiver works on the same elements.
 *
 * <p><b>Memory ordering.</b> {@link #get(int)} and {@link #set(int, int)} are volatile reads and writes
 * of one element, as on an {@link java.util.concurrent.atomic.AtomicIntegerArray}; the read-modify-write
 * methods are atomic instructions, exact however many processes use them. None of them takes the lock.
 * {@link #toArray()} reads the elements one by one, in index order: it is not a snapshot of the whole
 * array unless no process writes meanwhile (hold {@link #getLock()} around writes and the copy for that).
 *
 * <p>An index outside {@code 0..length()-1} throws {@link IndexOutOfBoundsException}.
 *
 * <p><b>The lock</b>, and {@link #close()}: as for {@link SharedInt}.
 */
public final class SharedIntArray extends SharedBlock implements AutoCloseable, Serializable {
    private static final long serialVersionUID = 1L;

    SharedIntArray(ValueBlock block, RLock lock) {
        super(Face.INT_ARRAY, block, lock);
    }

    static SharedIntArray create(int length, boolean locked) {
        return (SharedIntArray) create(Face.INT_ARRAY, length, x -> { }, locked);
    }

    static SharedIntArray create(int[] values, boolean locked) {
        Objects.requireNonNull(values, "values");
        return (SharedIntArray) create(Face.INT_ARRAY, values.length, x -> x.initInts(values), locked);
    }

    /** The number of elements, fixed at creation. */
    public int length() {
        return block.length();
    }

    /** Element {@code index} (a volatile read). */
    public int get(int index) {
        return block.getInt(index);
    }

    /** Sets element {@code index} (a volatile write). */
    public void set(int index, int value) {
        block.putInt(index, value);
    }

    /** Sets element {@code index} and returns its old value, atomically. */
    public int getAndSet(int index, int value) {
        return block.getAndSetInt(index, value);
    }

    /** Adds one to element {@code index} atomically; returns the new value. */
    public int incrementAndGet(int index) {
        return block.getAndAddInt(index, 1) + 1;
    }

    /** Subtracts one from element {@code index} atomically; returns the new value. */
    public int decrementAndGet(int index) {
        return block.getAndAddInt(index, -1) - 1;
    }

    /** Adds {@code delta} to element {@code index} atomically (wrapping on overflow); returns the new value. */
    public int addAndGet(int index, int delta) {
        return block.getAndAddInt(index, delta) + delta;
    }

    /** Adds {@code delta} to element {@code index} atomically; returns the old value. */
    public int getAndAdd(int index, int delta) {
        return block.getAndAddInt(index, delta);
    }

    /** Sets element {@code index} to {@code update} if it is {@code expected}, atomically; true if it did. */
    public boolean compareAndSet(int index, int expected, int update) {
        return block.casInt(index, expected, update);
    }

    /** A copy of the elements (Python's {@code arr[:]}), read one by one. */
    public int[] toArray() {
        return block.toInts();
    }

    /**
     * The lock shared with every process that has this array, a re-entrant {@link RLock}, for updates
     * of several elements or compound updates of one.
     *
     * @throws IllegalStateException if the array is raw ({@link Array#rawInts(int)}) or closed
     */
    public RLock getLock() {
        return lock();
    }

    /** {@code SharedIntArray[0, 1, 4]} (the first 100 elements and the length when longer), or {@code SharedIntArray(closed)}. */
    @Override
    public String toString() {
        return block.describe(() -> {
            int[] a = toArray();
            return Array.show(a.length, i -> Integer.toString(a[i]));
        });
    }
}
