package org.multiprocessing4j;

import java.io.Serializable;
import java.util.Objects;
import org.multiprocessing4j.internal.shm.ValueBlock;

/**
 * A fixed-length array of {@code long}s in shared memory: Python's {@code Array('q', …)}
 * ({@link Array#ofLongs(int)}), or without a lock {@code RawArray('q', …)} ({@link Array#rawLongs(int)}).
 *
 * <p>A serializable handle: capture it in a {@link Process} target, or send it through a {@link Queue}
 * or a {@link Connection}, and the receiver works on the same elements.
 *
 * <p><b>Memory ordering.</b> {@link #get(int)} and {@link #set(int, long)} are volatile reads and writes
 * of one element, as on an {@link java.util.concurrent.atomic.AtomicLongArray}; the read-modify-write
 * methods are atomic instructions, exact however many processes use them. None of them takes the lock.
 * {@link #toArray()} reads the elements one by one, in index order: it is not a snapshot of the whole
 * array unless no process writes meanwhile (hold {@link #getLock()} around writes and the copy for that).
 *
 * <p>An index outside {@code 0..length()-1} throws {@link IndexOutOfBoundsException}.
 *
 * <p><b>The lock</b>, and {@link #close()}: as for {@link SharedInt}.
 */
public final class SharedLongArray extends SharedBlock implements AutoCloseable, Serializable {
    private static final long serialVersionUID = 1L;

    SharedLongArray(ValueBlock block, RLock lock) {
        super(Face.LONG_ARRAY, block, lock);
    }

    static SharedLongArray create(int length, boolean locked) {
        return (SharedLongArray) create(Face.LONG_ARRAY, length, x -> { }, locked);
    }

    static SharedLongArray create(long[] values, boolean locked) {
        Objects.requireNonNull(values, "values");
        return (SharedLongArray) create(Face.LONG_ARRAY, values.length, x -> x.initLongs(values), locked);
    }

    /** The number of elements, fixed at creation. */
    public int length() {
        return block.length();
    }

    /** Element {@code index} (a volatile read). */
    public long get(int index) {
        return block.getLong(index);
    }

    /** Sets element {@code index} (a volatile write). */
    public void set(int index, long value) {
        block.putLong(index, value);
    }

    /** Sets element {@code index} and returns its old value, atomically. */
    public long getAndSet(int index, long value) {
        return block.getAndSetLong(index, value);
    }

    /** Adds one to element {@code index} atomically; returns the new value. */
    public long incrementAndGet(int index) {
        return block.getAndAddLong(index, 1) + 1;
    }

    /** Subtracts one from element {@code index} atomically; returns the new value. */
    public long decrementAndGet(int index) {
        return block.getAndAddLong(index, -1) - 1;
    }

    /** Adds {@code delta} to element {@code index} atomically (wrapping on overflow); returns the new value. */
    public long addAndGet(int index, long delta) {
        return block.getAndAddLong(index, delta) + delta;
    }

    /** Adds {@code delta} to element {@code index} atomically; returns the old value. */
    public long getAndAdd(int index, long delta) {
        return block.getAndAddLong(index, delta);
    }

    /** Sets element {@code index} to {@code update} if it is {@code expected}, atomically; true if it did. */
    public boolean compareAndSet(int index, long expected, long update) {
        return block.casLong(index, expected, update);
    }

    /** A copy of the elements (Python's {@code arr[:]}), read one by one. */
    public long[] toArray() {
        return block.toLongs();
    }

    /**
     * The lock shared with every process that has this array, a re-entrant {@link RLock}, for updates
     * of several elements or compound updates of one.
     *
     * @throws IllegalStateException if the array is raw ({@link Array#rawLongs(int)}) or closed
     */
    public RLock getLock() {
        return lock();
    }

    /** {@code SharedLongArray[0, 1, 4]} (the first 100 elements and the length when longer), or {@code SharedLongArray(closed)}. */
    @Override
    public String toString() {
        return block.describe(() -> {
            long[] a = toArray();
            return Array.show(a.length, i -> Long.toString(a[i]));
        });
    }
}
