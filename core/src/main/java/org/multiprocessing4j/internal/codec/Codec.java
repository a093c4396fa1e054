package org.multiprocessing4j.internal.codec;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import org.multiprocessing4j.internal.wire.MessageLimit;

/**
 * How {@code Connection.send} encodes an object: one tag byte, then the value. The payloads that
 * dominate messaging (boxed primitives, {@code String}, {@code byte[]}, primitive arrays) have a fast
 * path that skips {@code ObjectOutputStream} and its per-stream set-up, and so do a {@code HashMap}
 * of strings and boxed numbers (a word count) and a record of them (a Python tuple as a port writes
 * it); anything else is JDK-serialized.
 *
 * <pre>
 *   tag  value
 *   'N'  null                        (nothing follows)
 *   'Z'  Boolean                     1 byte
 *   'I'  Integer                     int32
 *   'J'  Long                        int64
 *   'D'  Double                      IEEE 754 bits, int64
 *   'S'  String                      UTF-8 bytes to the end
 *   'b'  byte[]                      the bytes to the end
 *   'i'  int[]   'j' long[]  'd' double[]   big-endian elements to the end
 *   'M'  a HashMap of strings, boxed numbers, booleans and nulls   see {@link PlainMap}
 *   'R'  a record of strings, numbers, booleans and nulls           see {@link PlainRecord}
 *   'X'  anything else               JDK serialization to the end
 * </pre>
 *
 * Numbers are big-endian. An encoding (tag and body) is at most {@link MessageLimit#bytes()} long; a
 * larger one is refused before it is made.
 */
public final class Codec {
    private static final byte[] EMPTY = new byte[0];

    private Codec() {
    }

    /** An encoded value: the tag, and the body (for a {@code byte[]}, the array itself, not a copy). */
    public record Encoded(byte tag, byte[] body) {
    }

    /**
     * Encodes {@code value}.
     *
     * @throws IllegalArgumentException if it is not serializable; the message names the class; or if its
     *     encoding would exceed the message limit; the message names the limit
     */
    public static Encoded encode(Object value) {
        if (value == null) {
            return new Encoded((byte) 'N', EMPTY);
        }
        Class<?> type = value.getClass();
        if (type == Integer.class) {
            return new Encoded((byte) 'I', MessageWriter.intBytes((Integer) value));
        }
        if (type == Long.class) {
            return new Encoded((byte) 'J', MessageWriter.longBytes((Long) value));
        }
        if (type == String.class) {
            String s = (String) value;
            checkString(s);
            return new Encoded((byte) 'S', s.getBytes(StandardCharsets.UTF_8));
        }
        if (type == byte[].class) {
            checkBody(((byte[]) value).length, 1, "a byte[]");
            return new Encoded((byte) 'b', (byte[]) value);
        }
        if (type == Double.class) {
            return new Encoded((byte) 'D', MessageWriter.longBytes(Double.doubleToRawLongBits((Double) value)));
        }
        if (type == Boolean.class) {
            return new Encoded((byte) 'Z', new byte[] {(byte) ((Boolean) value ? 1 : 0)});
        }
        if (type == int[].class) {
            int[] a = (int[]) value;
            ByteBuffer b = body(a.length, Integer.BYTES, "an int[]");
            b.asIntBuffer().put(a);
            return new Encoded((byte) 'i', b.array());
        }
        if (type == long[].class) {
            long[] a = (long[]) value;
            ByteBuffer b = body(a.length, Long.BYTES, "a long[]");
            b.asLongBuffer().put(a);
            return new Encoded((byte) 'j', b.array());
        }
        if (type == double[].class) {
            double[] a = (double[]) value;
            ByteBuffer b = body(a.length, Double.BYTES, "a double[]");
            b.asDoubleBuffer().put(a);
            return new Encoded((byte) 'd', b.array());
        }
        if (type.isRecord()) {
            byte[] record = PlainRecord.encode(value);
            if (record != null) {
                return new Encoded((byte) 'R', record);
            }
        }
        if (type == HashMap.class) {
            byte[] map = PlainMap.encode((HashMap<?, ?>) value);
            if (map != null) {
                return new Encoded((byte) 'M', map);
            }
        }
        return new Encoded((byte) 'X', Serialization.toBytes(value, "an object of " + type.getName()));
    }

    /**
     * Refuses a {@code String} whose UTF-8 form exceeds the message limit, without encoding it.
     *
     * @throws IllegalArgumentException naming the limit
     */
    public static void checkString(String s) {
        long max = MessageLimit.bytes() - 1L;
        if (3L * s.length() <= max) {
            return; // a char takes at most 3 bytes in UTF-8 (a surrogate pair, 4 for 2 chars)
        }
        long bytes = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            bytes += c < 0x80 ? 1 : c < 0x800 || Character.isSurrogate(c) ? 2 : 3;
        }
        if (bytes > max) {
            throw MessageLimit.exceeded("a String of " + bytes + " bytes in UTF-8");
        }
    }

    /**
     * Refuses an array of {@code length} elements of {@code size} bytes whose encoding exceeds the
     * message limit.
     *
     * @throws IllegalArgumentException naming the limit
     */
    public static void checkBody(int length, int size, String what) {
        if ((long) length * size > MessageLimit.bytes() - 1L) {
            throw MessageLimit.exceeded(what + " of " + length + " elements (" + (long) length * size + " bytes)");
        }
    }

    /** A body for {@code length} elements of {@code size} bytes each; refused as {@link #checkBody} says. */
    private static ByteBuffer body(int length, int size, String what) {
        checkBody(length, size, what);
        return ByteBuffer.allocate(size * length);
    }

    /** Decodes what {@link #encode} wrote; the body may be returned as it is (a {@code byte[]}). */
    public static Object decode(byte tag, byte[] body) throws IOException, ClassNotFoundException {
        switch (tag) {
            case 'N':
                return null;
            case 'Z':
                return body[0] != 0;
            case 'I':
                if (body.length != 4) {
                    throw new IOException("corrupt Integer: " + body.length + " bytes");
                }
                return MessageReader.intAt(body, 0);
            case 'J':
            case 'D':
                if (body.length != 8) {
                    throw new IOException("corrupt " + (tag == 'J' ? "Long" : "Double") + ": " + body.length + " bytes");
                }
                long bits = MessageReader.longAt(body, 0);
                return tag == 'J' ? (Object) bits : (Object) Double.longBitsToDouble(bits);
            case 'S':
                return new String(body, StandardCharsets.UTF_8);
            case 'b':
                return body;
            case 'i':
                return ints(body);
            case 'j':
                return longs(body);
            case 'd':
                return doubles(body);
            case 'M':
                return PlainMap.decode(body);
            case 'R':
                return PlainRecord.decode(body);
            case 'X':
                return Serialization.fromBytes(body);
            default:
                throw new IOException("unknown object tag " + tag);
        }
    }

    /** The big-endian ints in {@code body} (a trailing part of one is left out), copied in one piece. */
    public static int[] ints(byte[] body) {
        int[] out = new int[body.length / Integer.BYTES];
        ByteBuffer.wrap(body).asIntBuffer().get(out);
        return out;
    }

    /** The big-endian longs in {@code body} (a trailing part of one is left out), copied in one piece. */
    public static long[] longs(byte[] body) {
        long[] out = new long[body.length / Long.BYTES];
        ByteBuffer.wrap(body).asLongBuffer().get(out);
        return out;
    }

    /** The big-endian doubles in {@code body} (a trailing part of one is left out), copied in one piece. */
    public static double[] doubles(byte[] body) {
        double[] out = new double[body.length / Double.BYTES];
        ByteBuffer.wrap(body).asDoubleBuffer().get(out);
        return out;
    }

    /** Tag and body in one array, as the payload of an object message is on the wire. */
    public static byte[] joined(byte tag, byte[] body) {
        byte[] out = new byte[1 + body.length];
        out[0] = tag;
        System.arraycopy(body, 0, out, 1, body.length);
        return out;
    }
}
