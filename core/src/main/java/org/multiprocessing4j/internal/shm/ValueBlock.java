package org.multiprocessing4j.internal.shm;

import static org.multiprocessing4j.internal.shm.ValueLayout.*;

import java.nio.MappedByteBuffer;
import java.util.Objects;

/**
 * The segment of a shared value or array ({@link ValueLayout}) and typed, index-checked access to its
 * elements. Every access is volatile (sequentially consistent), like {@code AtomicIntegerArray}'s;
 * read-modify-write operations are single atomic instructions, or CAS loops for doubles and bytes.
 * Safe for any number of threads in any number of processes.
 *
 * <p>The public {@code Shared*} classes are thin typed faces over one of these. {@link #close()} ends
 * this handle's use; the creator's close also unlinks the segment, so that no process can attach any
 * more (processes already attached keep working on the same memory).
 */
public final class ValueBlock {
    private final Segment segment;
    private final MappedByteBuffer buf;
    private final int kind;
    private final int length;
    /** What the user calls it, for messages: {@code SharedInt}, {@code SharedIntArray}. */
    private final String type;
    private volatile boolean closed;

    private ValueBlock(Segment segment, int kind, int length, String type) {
        this.segment = segment;
        this.buf = segment.mapped();
        this.kind = kind;
        this.length = length;
        this.type = type;
    }

    /**
     * Creates the zero-filled segment of {@code length} elements of {@code kind}; {@code init} writes
     * initial values before the segment is published.
     *
     * @throws IllegalArgumentException if the length is negative or too large for one segment
     */
    public static ValueBlock create(int kind, int length, String type, java.util.function.Consumer<ValueBlock> init) {
        if (length < 0) {
            throw new IllegalArgumentException("a " + type + " cannot have a negative length: " + length);
        }
        if (length > maxLength(kind)) {
            throw new IllegalArgumentException("a " + type + " can have at most " + maxLength(kind)
                    + " elements (one segment of at most 2 GiB), not " + length);
        }
        ValueBlock b = new ValueBlock(Segment.create(null, ValueLayout.size(kind, length), true), kind, length, type);
        try {
            Ordered.putIntVolatile(b.buf, KIND, kind);
            Ordered.putIntVolatile(b.buf, LENGTH, length);
            init.accept(b);
        } catch (RuntimeException | Error e) {
            b.close();
            throw e;
        }
        Ordered.putIntVolatile(b.buf, MAGIC, MAGIC_VALUE); // publishes the header and the initial values
        return b;
    }

    /**
     * Maps the value or array of that name, which must hold {@code length} elements of {@code kind}.
     *
     * @throws IllegalStateException if it no longer exists (its creator closed it, or the program ended)
     * @throws IllegalArgumentException if it is something else
     */
    public static ValueBlock attach(String name, int kind, int length, String type) {
        Segment s;
        try {
            s = Segment.attach(name);
        } catch (IllegalArgumentException gone) {
            throw new IllegalStateException("the " + type + " '" + name
                    + "' no longer exists: its creating process closed it, or the program ended", gone);
        }
        ValueBlock b = new ValueBlock(s, kind, length, type);
        if (s.size() < ValueLayout.size(kind, length) || Ordered.getIntVolatile(b.buf, MAGIC) != MAGIC_VALUE
                || Ordered.getIntVolatile(b.buf, KIND) != kind || Ordered.getIntVolatile(b.buf, LENGTH) != length) {
            throw new IllegalArgumentException("'" + name + "' is not a " + type + " of " + length + " "
                    + kindName(kind) + (length == 1 ? "" : "s"));
        }
        return b;
    }

    public String name() {
        return segment.name();
    }

    public int length() {
        return length;
    }

    /** The user's name for it, e.g. {@code SharedInt}. */
    public String type() {
        return type;
    }

    /**
     * Ends this handle's use; in the creating process also unlinks the segment. Idempotent.
     */
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (segment.created()) {
            segment.unlink();
        }
    }

    public boolean isClosed() {
        return closed;
    }

    /** @throws IllegalStateException if closed */
    public void checkOpen() {
        if (closed) {
            throw new IllegalStateException("this " + type + " is closed");
        }
    }

    /** The offset of element {@code index}, after checking that this handle is open and the index. */
    private int at(int index) {
        checkOpen();
        return offset(kind, Objects.checkIndex(index, length));
    }

    // ---- int32 (also boolean) ----

    public int getInt(int index) {
        return Ordered.getIntVolatile(buf, at(index));
    }

    public void putInt(int index, int value) {
        Ordered.putIntVolatile(buf, at(index), value);
    }

    public boolean casInt(int index, int expected, int value) {
        return Ordered.compareAndSetInt(buf, at(index), expected, value);
    }

    public int getAndAddInt(int index, int delta) {
        return Ordered.getAndAddInt(buf, at(index), delta);
    }

    public int getAndSetInt(int index, int value) {
        return Ordered.getAndSetInt(buf, at(index), value);
    }

    // ---- int64 ----

    public long getLong(int index) {
        return Ordered.getLongVolatile(buf, at(index));
    }

    public void putLong(int index, long value) {
        Ordered.putLongVolatile(buf, at(index), value);
    }

    public boolean casLong(int index, long expected, long value) {
        return Ordered.compareAndSetLong(buf, at(index), expected, value);
    }

    public long getAndAddLong(int index, long delta) {
        return Ordered.getAndAddLong(buf, at(index), delta);
    }

    public long getAndSetLong(int index, long value) {
        return Ordered.getAndSetLong(buf, at(index), value);
    }

    // ---- float64, as the raw bits of an int64 ----

    public double getDouble(int index) {
        return Double.longBitsToDouble(getLong(index));
    }

    public void putDouble(int index, double value) {
        putLong(index, Double.doubleToRawLongBits(value));
    }

    /** Compares bits, not values: {@code -0.0} is not {@code 0.0}, and a NaN matches the same NaN bits. */
    public boolean casDouble(int index, double expected, double value) {
        return casLong(index, Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(value));
    }

    /** Returns the value before the addition; a CAS loop on the bits. */
    public double getAndAddDouble(int index, double delta) {
        int at = at(index);
        while (true) {
            long bits = Ordered.getLongVolatile(buf, at);
            double old = Double.longBitsToDouble(bits);
            if (Ordered.compareAndSetLong(buf, at, bits, Double.doubleToRawLongBits(old + delta))) {
                return old;
            }
        }
    }

    // ---- int8, through the containing int32 (see Ordered) ----

    public byte getByte(int index) {
        return Ordered.getByteVolatile(buf, at(index));
    }

    public void putByte(int index, byte value) {
        Ordered.putByteVolatile(buf, at(index), value);
    }

    public boolean casByte(int index, byte expected, byte value) {
        return Ordered.compareAndSetByte(buf, at(index), expected, value);
    }

    public byte getAndAddByte(int index, byte delta) {
        return Ordered.getAndAddByte(buf, at(index), delta);
    }

    public byte getAndSetByte(int index, byte value) {
        return Ordered.getAndSetByte(buf, at(index), value);
    }

    // ---- whole arrays ----

    /** Writes initial values plainly: only in {@link #create}'s {@code init}, before the segment is published. */
    public void initInts(int[] values) {
        for (int i = 0; i < values.length; i++) {
            buf.putInt(offset(kind, i), values[i]);
        }
    }

    /** As {@link #initInts}. */
    public void initLongs(long[] values) {
        for (int i = 0; i < values.length; i++) {
            buf.putLong(offset(kind, i), values[i]);
        }
    }

    /** As {@link #initInts}; the raw bits of each double. */
    public void initDoubles(double[] values) {
        for (int i = 0; i < values.length; i++) {
            buf.putLong(offset(kind, i), Double.doubleToRawLongBits(values[i]));
        }
    }

    /** As {@link #initInts}. */
    public void initBytes(byte[] values) {
        buf.put(DATA, values);
    }

    /** Each element read as {@link #getInt} does, in index order: not an atomic snapshot. */
    public int[] toInts() {
        checkOpen();
        int[] a = new int[length];
        for (int i = 0; i < length; i++) {
            a[i] = Ordered.getIntVolatile(buf, offset(kind, i));
        }
        return a;
    }

    /** As {@link #toInts}. */
    public long[] toLongs() {
        checkOpen();
        long[] a = new long[length];
        for (int i = 0; i < length; i++) {
            a[i] = Ordered.getLongVolatile(buf, offset(kind, i));
        }
        return a;
    }

    /** As {@link #toInts}. */
    public double[] toDoubles() {
        checkOpen();
        double[] a = new double[length];
        for (int i = 0; i < length; i++) {
            a[i] = Double.longBitsToDouble(Ordered.getLongVolatile(buf, offset(kind, i)));
        }
        return a;
    }

    /** As {@link #toInts}. */
    public byte[] toBytes() {
        checkOpen();
        byte[] a = new byte[length];
        for (int i = 0; i < length; i++) {
            a[i] = Ordered.getByteVolatile(buf, offset(kind, i));
        }
        return a;
    }

    /** The type's name and {@code contents} (e.g. {@code SharedInt(5)}), or {@code SharedInt(closed)}: for toString. */
    public String describe(java.util.function.Supplier<String> contents) {
        if (!closed) {
            try {
                return type + contents.get();
            } catch (IllegalStateException closedMeanwhile) {
                // falls through
            }
        }
        return type + "(closed)";
    }
}
