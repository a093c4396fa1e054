package org.multiprocessing4j;

import java.io.Serializable;
import org.multiprocessing4j.internal.shm.ValueBlock;
import org.multiprocessing4j.internal.shm.ValueLayout;

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
public final class SharedBoolean implements AutoCloseable, Serializable {
    private static final long serialVersionUID = 1L;
    private static final String TYPE = "SharedBoolean";

    private final transient ValueBlock block;
    private final transient RLock lock;

    private SharedBoolean(ValueBlock block, RLock lock) {
        this.block = block;
        this.lock = lock;
    }

    static SharedBoolean create(boolean initial, boolean locked) {
        ValueBlock b = ValueBlock.create(ValueLayout.KIND_BOOLEAN, 1, TYPE, x -> x.initInts(new int[] {bit(initial)}));
        return new SharedBoolean(b, Value.lockFor(b, locked));
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
        return Value.lockOf(block, lock, "Value.rawBoolean");
    }

    /** Closes the value and its lock; in the creating process, also stops new processes from attaching. Idempotent. */
    @Override
    public void close() {
        Value.close(block, lock);
    }

    /** {@code SharedBoolean(true)}, or {@code SharedBoolean(closed)}. */
    @Override
    public String toString() {
        return block.describe(() -> "(" + get() + ")");
    }

    private Object writeReplace() {
        block.checkOpen();
        return new Handle(block.name(), lock);
    }

    /** What crosses processes: the segment's name and the lock's handle (null for a raw value). */
    private record Handle(String name, RLock lock) implements Serializable {
        private Object readResolve() {
            return new SharedBoolean(ValueBlock.attach(name, ValueLayout.KIND_BOOLEAN, 1, TYPE), lock);
        }
    }
}
