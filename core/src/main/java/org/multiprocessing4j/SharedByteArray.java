package org.multiprocessing4j;

import java.io.Serializable;
import java.util.Objects;
import org.multiprocessing4j.internal.shm.ValueBlock;

/**
 * A fixed-length array of {@code byte}s in shared memory: Python's {@code Array('b', …)} or
 * {@code Array('c', …)} ({@link Array#ofBytes(int)}), or without a lock {@code RawArray('b', …)}
 * ({@link Array#rawBytes(int)}).
 *
 * <p>A serializable handle: capture it in a {@link Process} target, or send it through a {@link Queue}
 * or a {@link Connection}, and the receiver works on the same elements.
 *
 * <p><b>Memory ordering.</b> {@link #get(int)} is a volatile read and {@link #set(int, byte)} a volatile
 * write of one element. There are no byte-sized atomic instructions in Java, so every write and
 * read-modify-write here is a compare-and-set on the aligned four bytes that contain the element; it
 * never disturbs the neighbouring bytes, which other processes may write at the same time. The
 * arithmetic wraps around like {@code byte} arithmetic. None of them takes the lock. {@link #toArray()}
 * reads the elements one by one, in index order: it is not a snapshot of the whole array unless no
 * process writes meanwhile. For bulk data, {@code SharedMemory} is the faster tool.
 *
 * <p>An index outside {@code 0..length()-1} throws {@link IndexOutOfBoundsException}.
 *
 * <p><b>The lock</b>, and {@link #close()}: as for {@link SharedInt}.
 */
public final class SharedByteArray extends SharedBlock implements AutoCloseable, Serializable {
    private static final long serialVersionUID = 1L;

    SharedByteArray(ValueBlock block, RLock lock) {
        super(Face.BYTE_ARRAY, block, lock);
    }

    static SharedByteArray create(int length, boolean locked) {
        return (SharedByteArray) create(Face.BYTE_ARRAY, length, x -> { }, locked);
    }

    static SharedByteArray create(byte[] values, boolean locked) {
        Objects.requireNonNull(values, "values");
        return (SharedByteArray) create(Face.BYTE_ARRAY, values.length, x -> x.initBytes(values), locked);
    }

    /** The number of elements, fixed at creation. */
    public int length() {
        return block.length();
    }

    /** Element {@code index} (a volatile read). */
    public byte get(int index) {
        return block.getByte(index);
    }

    /** Sets element {@code index} (a volatile write). */
    public void set(int index, byte value) {
        block.putByte(index, value);
    }

    /** Sets element {@code index} and returns its old value, atomically. */
    public byte getAndSet(int index, byte value) {
        return block.getAndSetByte(index, value);
    }

    /** Adds one to element {@code index} atomically (127 wraps to -128); returns the new value. */
    public byte incrementAndGet(int index) {
        return addAndGet(index, 1);
    }

    /** Subtracts one from element {@code index} atomically; returns the new value. */
    public byte decrementAndGet(int index) {
        return addAndGet(index, -1);
    }

    /**
     * Adds {@code delta} to element {@code index} atomically, wrapping like {@code (byte) (x + delta)};
     * returns the new value.
     */
    public byte addAndGet(int index, int delta) {
        return (byte) (block.getAndAddByte(index, (byte) delta) + delta);
    }

    /** Adds {@code delta} to element {@code index} atomically, wrapping; returns the old value. */
    public byte getAndAdd(int index, int delta) {
        return block.getAndAddByte(index, (byte) delta);
    }

    /** Sets element {@code index} to {@code update} if it is {@code expected}, atomically; true if it did. */
    public boolean compareAndSet(int index, byte expected, byte update) {
        return block.casByte(index, expected, update);
    }

    /** A copy of the elements (Python's {@code arr[:]}), read one by one. */
    public byte[] toArray() {
        return block.toBytes();
    }

    /**
     * The lock shared with every process that has this array, a re-entrant {@link RLock}, for updates
     * of several elements or compound updates of one.
     *
     * @throws IllegalStateException if the array is raw ({@link Array#rawBytes(int)}) or closed
     */
    public RLock getLock() {
        return lock();
    }

    /** {@code SharedByteArray[0, 1, 4]} (the first 100 elements and the length when longer), or {@code SharedByteArray(closed)}. */
    @Override
    public String toString() {
        return block.describe(() -> {
            byte[] a = toArray();
            return Array.show(a.length, i -> Byte.toString(a[i]));
        });
    }
}
