package org.multiprocessing4j;

import java.io.Serializable;
import org.multiprocessing4j.internal.shm.ValueBlock;

/**
 * A {@code long} in shared memory: Python's {@code Value('q', x)} ({@link Value#ofLong}), or without a
 * lock {@code RawValue('q', x)} ({@link Value#rawLong}).
 *
 * <p>A serializable handle: capture it in a {@link Process} target, or send it through a {@link Queue}
 * or a {@link Connection}, and the receiver works on the same long.
 *
 * <p><b>Memory ordering.</b> {@link #get()} and {@link #set(long)} are volatile reads and writes, as on an
 * {@link java.util.concurrent.atomic.AtomicLong}; the read-modify-write methods are atomic
 * instructions, exact however many threads and processes use them at once. None of them takes the
 * lock.
 *
 * <p><b>The lock</b>, and {@link #close()}: as for {@link SharedInt}.
 */
public final class SharedLong extends SharedBlock implements AutoCloseable, Serializable {
    private static final long serialVersionUID = 1L;

    SharedLong(ValueBlock block, RLock lock) {
        super(Face.LONG, block, lock);
    }

    static SharedLong create(long initial, boolean locked) {
        return (SharedLong) create(Face.LONG, 1, x -> x.initLongs(new long[] {initial}), locked);
    }

    /** The value (a volatile read). */
    public long get() {
        return block.getLong(0);
    }

    /** Sets the value (a volatile write). */
    public void set(long value) {
        block.putLong(0, value);
    }

    /** Sets the value and returns the old one, atomically. */
    public long getAndSet(long value) {
        return block.getAndSetLong(0, value);
    }

    /** Adds one atomically; returns the new value. */
    public long incrementAndGet() {
        return block.getAndAddLong(0, 1) + 1;
    }

    /** Subtracts one atomically; returns the new value. */
    public long decrementAndGet() {
        return block.getAndAddLong(0, -1) - 1;
    }

    /** Adds {@code delta} atomically (wrapping on overflow, like {@code long} arithmetic); returns the new value. */
    public long addAndGet(long delta) {
        return block.getAndAddLong(0, delta) + delta;
    }

    /** Adds {@code delta} atomically; returns the old value. */
    public long getAndAdd(long delta) {
        return block.getAndAddLong(0, delta);
    }

    /** Sets the value to {@code update} if it is {@code expected}, atomically; true if it did. */
    public boolean compareAndSet(long expected, long update) {
        return block.casLong(0, expected, update);
    }

    /**
     * The lock shared with every process that has this value: a re-entrant {@link RLock}, for compound
     * updates (see the class comment).
     *
     * @throws IllegalStateException if the value is raw ({@link Value#rawLong}) or closed
     */
    public RLock getLock() {
        return lock();
    }

    /** {@code SharedLong(5)}, or {@code SharedLong(closed)}. */
    @Override
    public String toString() {
        return block.describe(() -> "(" + get() + ")");
    }
}
