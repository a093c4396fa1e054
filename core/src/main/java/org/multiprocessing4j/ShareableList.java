package org.multiprocessing4j;

import static org.multiprocessing4j.internal.shm.ShareableListLayout.*;

import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;
import org.multiprocessing4j.internal.shm.Ordered;
import org.multiprocessing4j.internal.shm.ShareableListLayout;

/**
 * A list of fixed length stored in a {@link SharedMemory}, Python's
 * {@code multiprocessing.shared_memory.ShareableList}: every process that attaches it by name reads
 * and writes the same items, without messages.
 *
 * <p>Items are {@link Integer}, {@link Long}, {@link Double}, {@link Boolean}, {@link String},
 * {@code byte[]} or null; {@link #get} returns the type that was stored (a {@code byte[]} is a copy).
 * The length never changes ({@code add} and {@code remove} throw {@link UnsupportedOperationException});
 * {@link #set} may store an item of another supported type, as in Python, if it fits the item's slot:
 * each slot is the size of the item it was created with, rounded up to a multiple of 8 bytes and at
 * least 8 (a String counts its UTF-8 bytes). So any slot holds any number, boolean or null, and a
 * String or {@code byte[]} fits if it is no longer than the slot; to leave room for longer values,
 * create the list with longer ones. The layout is not Python's (which loses a {@code bytes} item's
 * trailing zero bytes; this one keeps them).
 *
 * <p><b>Not atomic</b>, as in Python: a {@code set} of a String writes its bytes, length and type one
 * after the other, and a reader in another process at the same moment may see a mix. Guard items
 * that several processes write with a {@link Lock}.
 *
 * <p>Like any {@code List<Object>}, {@code equals}, {@code hashCode}, {@code indexOf} and
 * {@code contains} use the items' {@code equals} and {@code hashCode}, which for a {@code byte[]} (a
 * new copy at each {@code get}) are identity's: compare those with {@code Arrays.equals}. {@code Collections.frequency} is
 * Python's {@code count}, {@link #indexOf} its {@code index} (-1 rather than an exception).
 *
 * <p>{@link #close()} detaches this handle ({@link SharedMemory#close()}): {@code get} and {@code set}
 * throw {@link IllegalStateException} afterwards; {@link #unlink()} destroys the segment
 * ({@link SharedMemory#unlink()}). When processes end, what {@link SharedMemory} says holds: a list
 * created and never unlinked is unlinked by the resource tracker when the program ends, with a
 * warning. Serializable: the receiver attaches to the same list by name.
 */
public final class ShareableList extends AbstractList<Object> implements RandomAccess, AutoCloseable, Serializable {
    private static final long serialVersionUID = 1L;

    private final transient SharedMemory shm;
    private final transient ByteBuffer buf; // the mapping itself, native order, absolute access only
    private final int count;

    private ShareableList(SharedMemory shm) {
        this.shm = shm;
        this.buf = shm.segment().mapped();
        this.count = buf.getInt(COUNT);
    }

    /**
     * Creates a list holding {@code values}, in a new segment with a generated name.
     *
     * @throws IllegalArgumentException if an item is of an unsupported type (the message names its
     *     class and index), or the list would need more than 2^31-1 bytes
     */
    public static ShareableList create(List<?> values) {
        return create(null, values);
    }

    /**
     * Creates a list holding {@code values}, in a new segment called {@code name} (null: a generated
     * name).
     *
     * @throws IllegalArgumentException if an item is of an unsupported type (the message names its
     *     class and index), the list would need more than 2^31-1 bytes, the name is not a plain file
     *     name, or a segment of that name exists
     */
    public static ShareableList create(String name, List<?> values) {
        Objects.requireNonNull(values, "values");
        Object[] items = values.toArray();
        int n = items.length;
        byte[][] encoded = new byte[n][];
        long size = dataStart(n);
        for (int i = 0; i < n; i++) {
            encoded[i] = encode(items[i], i);
            size += capacityFor(encoded[i] == null ? 0 : encoded[i].length);
        }
        if (size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a ShareableList of these " + n + " items needs " + size
                    + " bytes, more than one segment holds (" + Integer.MAX_VALUE + ")");
        }
        SharedMemory shm = name == null ? SharedMemory.create(size) : SharedMemory.create(name, size);
        try {
            ByteBuffer b = shm.segment().mapped();
            b.putInt(VERSION, VERSION_VALUE);
            b.putInt(COUNT, n);
            long data = dataStart(n);
            for (int i = 0; i < n; i++) {
                int d = descriptor(i);
                long capacity = capacityFor(encoded[i] == null ? 0 : encoded[i].length);
                b.putInt(d + DATA_OFFSET, (int) data);
                b.putInt(d + CAPACITY, (int) capacity);
                write(b, d, items[i], encoded[i]);
                data += capacity;
            }
            Ordered.putIntRelease(b, MAGIC, MAGIC_VALUE); // publishes everything above to attachers
            return new ShareableList(shm);
        } catch (RuntimeException | Error e) {
            shm.unlink();
            throw e;
        }
    }

    /**
     * Attaches to the list called {@code name}.
     *
     * @throws IllegalArgumentException if there is no segment of that name, or it does not hold a
     *     ShareableList
     */
    public static ShareableList attach(String name) {
        SharedMemory shm = SharedMemory.attach(name);
        ByteBuffer b = shm.segment().mapped();
        if (shm.size() < HEADER_LENGTH || Ordered.getIntAcquire(b, MAGIC) != MAGIC_VALUE
                || b.getInt(VERSION) != VERSION_VALUE || b.getInt(COUNT) < 0
                || dataStart(b.getInt(COUNT)) > shm.size()) {
            shm.close();
            throw new IllegalArgumentException("shared-memory segment '" + shm.name()
                    + "' does not hold a ShareableList (of this version)");
        }
        return new ShareableList(shm);
    }

    /**
     * The item at {@code index}: an Integer, Long, Double, Boolean, String, a copy of a byte[], or null.
     *
     * @throws IndexOutOfBoundsException if {@code index} is not in 0..size()-1
     * @throws IllegalStateException if this handle is closed
     */
    @Override
    public Object get(int index) {
        Objects.checkIndex(index, count);
        checkOpen();
        int d = descriptor(index);
        int data = buf.getInt(d + DATA_OFFSET);
        int type = buf.getInt(d + TYPE);
        switch (type) {
            case NULL:
                return null;
            case INT:
                return buf.getInt(data);
            case LONG:
                return buf.getLong(data);
            case DOUBLE:
                return buf.getDouble(data);
            case BOOLEAN:
                return buf.get(data) != 0;
            case STRING:
            case BYTES: {
                int length = Math.max(0, Math.min(buf.getInt(d + LENGTH), buf.getInt(d + CAPACITY)));
                byte[] bytes = new byte[length];
                buf.get(data, bytes);
                return type == STRING ? new String(bytes, StandardCharsets.UTF_8) : bytes;
            }
            default:
                throw new IllegalStateException("item " + index + " of ShareableList '" + shm.name()
                        + "' has an unknown type code " + type + ": the segment was overwritten");
        }
    }

    /**
     * Stores {@code value} at {@code index}: any supported type, if it fits the item's slot (see the
     * class comment). A {@code byte[]} is copied.
     *
     * @return the item that was there
     * @throws IllegalArgumentException if the type is not supported (the message names its class), or
     *     a String or byte[] is longer than the slot (the message gives both lengths)
     * @throws IndexOutOfBoundsException if {@code index} is not in 0..size()-1
     * @throws IllegalStateException if this handle is closed
     */
    @Override
    public Object set(int index, Object value) {
        Objects.checkIndex(index, count);
        byte[] encoded = encode(value, index);
        Object previous = get(index);
        int d = descriptor(index);
        int capacity = buf.getInt(d + CAPACITY);
        if (encoded != null && encoded.length > capacity) {
            throw new IllegalArgumentException((value instanceof String ? "String" : "byte[]") + " of "
                    + encoded.length + " bytes does not fit item " + index + " of " + this.shortName()
                    + ", whose slot holds " + capacity + " bytes (fixed when the list was created)");
        }
        write(buf, d, value, encoded);
        return previous;
    }

    /** The number of items, fixed at creation. Works on a closed handle. */
    @Override
    public int size() {
        return count;
    }

    /** The shared memory the list lives in. */
    public SharedMemory shm() {
        return shm;
    }

    /** The name of its segment, which {@link #attach} takes. */
    public String name() {
        return shm.name();
    }

    /** Detaches this handle (see {@link SharedMemory#close()}); closing twice is allowed. */
    @Override
    public void close() {
        shm.close();
    }

    /** Destroys the segment (see {@link SharedMemory#unlink()}). */
    public void unlink() {
        shm.unlink();
    }

    /** Python's form: {@code ShareableList([1, 'a', None], name='…')}, Java's values; a closed list shows no items. */
    @Override
    public String toString() {
        if (shm.isClosed()) {
            return "ShareableList(<closed>, name='" + shm.name() + "')";
        }
        StringBuilder s = new StringBuilder("ShareableList([");
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                s.append(", ");
            }
            Object item = get(i);
            if (item instanceof String) {
                s.append('\'').append(item).append('\'');
            } else if (item instanceof byte[]) {
                s.append(Arrays.toString((byte[]) item));
            } else {
                s.append(item);
            }
        }
        return s.append("], name='").append(shm.name()).append("')").toString();
    }

    private String shortName() {
        return "ShareableList '" + shm.name() + "'";
    }

    private void checkOpen() {
        if (shm.isClosed()) {
            throw new IllegalStateException(shortName() + " is closed");
        }
    }

    /** The bytes of a String or byte[], null for the other supported types; refuses the rest. */
    private static byte[] encode(Object value, int index) {
        if (value == null || value instanceof Integer || value instanceof Long || value instanceof Double
                || value instanceof Boolean) {
            return null;
        }
        if (value instanceof String) {
            return ((String) value).getBytes(StandardCharsets.UTF_8);
        }
        if (value instanceof byte[]) {
            return (byte[]) value;
        }
        throw new IllegalArgumentException("a ShareableList holds Integer, Long, Double, Boolean, String, byte[]"
                + " or null, not " + value.getClass().getName() + " (item " + index + ")");
    }

    /** Writes an item into its slot: the data, then its length, then its type. */
    private static void write(ByteBuffer b, int d, Object value, byte[] encoded) {
        int data = b.getInt(d + DATA_OFFSET);
        int type;
        int length = 0;
        if (value == null) {
            type = ShareableListLayout.NULL;
        } else if (value instanceof Integer) {
            b.putInt(data, (Integer) value);
            type = INT;
        } else if (value instanceof Long) {
            b.putLong(data, (Long) value);
            type = LONG;
        } else if (value instanceof Double) {
            b.putDouble(data, (Double) value);
            type = DOUBLE;
        } else if (value instanceof Boolean) {
            b.put(data, (byte) ((Boolean) value ? 1 : 0));
            type = BOOLEAN;
        } else {
            b.put(data, encoded);
            length = encoded.length;
            type = value instanceof String ? STRING : BYTES;
        }
        b.putInt(d + LENGTH, length);
        b.putInt(d + TYPE, type);
    }

    private Object writeReplace() {
        return new Handle(shm.name());
    }

    /** What travels: the name; the receiver attaches. */
    private record Handle(String name) implements Serializable {
        private static final long serialVersionUID = 1L;

        private Object readResolve() {
            return attach(name);
        }
    }
}
