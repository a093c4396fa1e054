package org.multiprocessing4j;

import java.io.Serializable;
import org.multiprocessing4j.internal.shm.ValueBlock;

/**
 * An {@code int} in shared memory: Python's {@code Value('i', x)} ({@link Value#ofInt}), or without a
 * lock {@code RawValue('i', x)} ({@link Value#rawInt}).
 *
 * <p>A serializable handle: capture it in a {@link Process} target, or send it through a {@link Queue}
 * or a {@link Connection}, and the receiver works on the same int.
 *
 * <p><b>Memory ordering.</b> {@link #get()} and {@link #set(int)} are volatile reads and writes, as on an
 * {@link java.util.concurrent.atomic.AtomicInteger}; the read-modify-write methods are atomic
 * instructions, exact however many threads and processes use them at once. None of them takes the
 * lock (Python's synchronized wrapper takes it around every read and every write of {@code .value};
 * here each read and write is one atomic access already).
 *
 * <p><b>The lock.</b> A compound update such as {@code v.set(v.get() + 1)} is two accesses, and
 * processes that race through it lose updates. Do it while holding {@link #getLock()} (Python's
 * {@code with v.get_lock(): v.value += 1}) in every process that updates the value, or use
 * {@link #incrementAndGet()}.
 *
 * <p>{@link #close()} closes the value and its lock: later calls on this handle throw
 * {@link IllegalStateException}. In the process that created it, no process can attach to it any more
 * (handles already received keep working); elsewhere it only ends this handle's use. Values that are
 * never closed are removed when the program ends.
 */
public final class SharedInt extends SharedBlock implements AutoCloseable, Serializable {
    private static final long serialVersionUID = 1L;

    SharedInt(ValueBlock block, RLock lock) {
        super(Face.INT, block, lock);
    }

    static SharedInt create(int initial, boolean locked) {
        return (SharedInt) create(Face.INT, 1, x -> x.initInts(new int[] {initial}), locked);
    }

    /** The value (a volatile read). */
    public int get() {
        return block.getInt(0);
    }

    /** Sets the value (a volatile write). */
    public void set(int value) {
        block.putInt(0, value);
    }

    /** Sets the value and returns the old one, atomically. */
    public int getAndSet(int value) {
        return block.getAndSetInt(0, value);
    }

    /** Adds one atomically; returns the new value. */
    public int incrementAndGet() {
        return block.getAndAddInt(0, 1) + 1;
    }

    /** Subtracts one atomically; returns the new value. */
    public int decrementAndGet() {
        return block.getAndAddInt(0, -1) - 1;
    }

    /** Adds {@code delta} atomically (wrapping on overflow, like {@code int} arithmetic); returns the new value. */
    public int addAndGet(int delta) {
        return block.getAndAddInt(0, delta) + delta;
    }

    /** Adds {@code delta} atomically; returns the old value. */
    public int getAndAdd(int delta) {
        return block.getAndAddInt(0, delta);
    }

    /** Sets the value to {@code update} if it is {@code expected}, atomically; true if it did. */
    public boolean compareAndSet(int expected, int update) {
        return block.casInt(0, expected, update);
    }

    /**
     * The lock shared with every process that has this value: a re-entrant {@link RLock}, for compound
     * updates (see the class comment).
     *
     * @throws IllegalStateException if the value is raw ({@link Value#rawInt}) or closed
     */
    public RLock getLock() {
        return lock();
    }

    /** {@code SharedInt(5)}, or {@code SharedInt(closed)}. */
    @Override
    public String toString() {
        return block.describe(() -> "(" + get() + ")");
    }
}
