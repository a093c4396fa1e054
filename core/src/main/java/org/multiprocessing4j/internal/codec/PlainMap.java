package org.multiprocessing4j.internal.codec;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.multiprocessing4j.internal.wire.MessageLimit;

/**
 * A {@code java.util.HashMap} whose keys and values are strings, boxed {@code Integer}, {@code Long},
 * {@code Double}, {@code Boolean} or null (a word count, a table of settings): the codec's {@code 'M'},
 * written without {@code ObjectOutputStream}, whose per-entry class descriptors and handles cost a
 * new JVM more than the data. It decodes to a {@code HashMap} equal to the one encoded; since it holds
 * no class of the user's, decoding it runs no code of theirs.
 *
 * <pre>
 *   body: count (int32), then count x (key, value), each one of:
 *     'N'                     null
 *     'Z' 1 byte              Boolean
 *     'I' int32               Integer
 *     'J' int64               Long
 *     'D' int64 (IEEE bits)   Double
 *     'S' STR                 String: length (int32), UTF-8
 * </pre>
 */
final class PlainMap {
    private PlainMap() {
    }

    /**
     * The body of {@code map}, or null if a key or a value is of another class (the map is then
     * JDK-serialized).
     *
     * @throws IllegalArgumentException if the body would exceed the message limit
     */
    static byte[] encode(HashMap<?, ?> map) {
        MessageWriter w = new MessageWriter("a map", 4 + 16 * map.size(), MessageLimit.bytes() - 1);
        w.writeInt(map.size());
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!write(w, e.getKey()) || !write(w, e.getValue())) {
                return null;
            }
        }
        return w.toByteArray();
    }

    /** Writes a key or value; false if it is of another class. */
    static boolean write(MessageWriter w, Object v) {
        if (v == null) {
            w.writeByte('N');
            return true;
        }
        Class<?> type = v.getClass();
        if (type == String.class) {
            w.writeByte('S');
            w.writeString((String) v);
        } else if (type == Integer.class) {
            w.writeByte('I');
            w.writeInt((Integer) v);
        } else if (type == Long.class) {
            w.writeByte('J');
            w.writeLong((Long) v);
        } else if (type == Double.class) {
            w.writeByte('D');
            w.writeLong(Double.doubleToRawLongBits((Double) v));
        } else if (type == Boolean.class) {
            w.writeByte('Z');
            w.writeBoolean((Boolean) v);
        } else {
            return false;
        }
        return true;
    }

    /** The map that {@link #encode} wrote. */
    static HashMap<Object, Object> decode(byte[] body) throws IOException {
        MessageReader r = new MessageReader("a map", body);
        int n = r.checkCount(r.readInt(), 2, "entries");
        HashMap<Object, Object> map = new HashMap<>(Math.max(16, (int) (n / 0.75f) + 1));
        for (int i = 0; i < n; i++) {
            Object key = read(r);
            map.put(key, read(r));
        }
        if (r.remaining() != 0 || map.size() != n) {
            throw new IOException("corrupt map: " + n + " entries, " + map.size() + " keys, "
                    + r.remaining() + " bytes left over");
        }
        return map;
    }

    /** Reads a key or value. */
    static Object read(MessageReader r) throws IOException {
        byte type = r.readByte();
        return switch (type) {
            case 'N' -> null;
            case 'S' -> {
                String s = r.readString();
                if (s == null) {
                    throw new IOException("corrupt map: a null STR");
                }
                yield s;
            }
            case 'I' -> r.readInt();
            case 'J' -> r.readLong();
            case 'D' -> Double.longBitsToDouble(r.readLong());
            case 'Z' -> r.readBoolean();
            default -> throw new IOException("corrupt map: a value of type " + type);
        };
    }
}
