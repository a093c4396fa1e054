package org.multiprocessing4j;

import java.io.Serializable;
import org.multiprocessing4j.internal.shm.ValueBlock;

/**
 * A {@code boolean} in shared memory: Python's {@code Value(ctypes.c_bool, x)} ({@link Value#ofBoolean}),
 * or without a lock {@code RawValue(ctypes.c_bool, x)} ({@link Value#rawBoolean}); e.g. a flag that
 * tells children to stop.
 *
 * <p>A serializable handle: capture it in a {@link Process} target, or send it through a {@link Queue}
 * or a {@link Connection}, and the receiver works on the same flag.
 *
 * <p><b>Memory ordering.</b> {@link #get()} and {@link #set(boolean)} are volatile reads and writes, as
 * on an {@link java.util.concurrent.atomic.AtomicBoolean}; {@link #getAndSet} and
 * {@link #compareAndSet} are atomic. None of them takes the lock. To wait for a flag without spinning,
 * use an {@link Event}.
 *
 * <p><b>The lock</b>, and {@link #close()}: as for {@link SharedInt}.
 */
public final class SharedBoolean extends SharedBlock implements AutoCloseable, Serializable {
    private static final long serialVersionUID = 1L;

    SharedBoolean(ValueBlock block, RLock lock) {
        super(Face.BOOLEAN, block, lock);
    }

    static SharedBoolean create(boolean initial, boolean locked) {
        return (SharedBoolean) create(Face.BOOLEAN, 1, x -> x.initInts(new int[] {bit(initial)}), locked);
    }

    private static int bit(boolean b) {
        return b ? 1 : 0;
    }

    /** The value (a volatile read). */
    public boolean get() {
        return block.getInt(0) != 0;
    }

    /** Sets the value (a volatile write). */
    public void set(boolean value) {
        block.putInt(0, bit(value));
    }

    /** Sets the value and returns the old one, atomically. */
    public boolean getAndSet(boolean value) {
        return block.getAndSetInt(0, bit(value)) != 0;
    }

    /** Sets the value to {@code update} if it is {@code expected}, atomically; true if it did. */
    public boolean compareAndSet(boolean expected, boolean update) {
        return block.casInt(0, bit(expected), bit(update));
    }

    /**
     * The lock shared with every process that has this value, for compound updates.
     *
     * @throws IllegalStateException if the value is raw ({@link Value#rawBoolean}) or closed
     */
    public RLock getLock() {
        return lock();
    }

    /** {@code SharedBoolean(true)}, or {@code SharedBoolean(closed)}. */
    @Override
    public String toString() {
        return block.describe(() -> "(" + get() + ")");
    }
}
