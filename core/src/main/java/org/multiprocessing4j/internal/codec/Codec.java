package org.multiprocessing4j.internal.codec;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * How {@code Connection.send} encodes an object: one tag byte, then the value. The payloads that
 * dominate messaging (boxed primitives, {@code String}, {@code byte[]}, primitive arrays) have a fast
 * path that skips {@code ObjectOutputStream} and its per-stream set-up; anything else is JDK-serialized.
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
 *   'X'  anything else               JDK serialization to the end
 * </pre>
 *
 * Numbers are big-endian.
 */
public final class Codec {
    private Codec() {
    }

    /**
     * Encodes {@code value}.
     *
     * @throws IllegalArgumentException if it is not serializable; the message names the class
     */
    public static byte[] encode(Object value) {
        if (value == null) {
            return new byte[] {'N'};
        }
        Class<?> type = value.getClass();
        if (type == Integer.class) {
            return ByteBuffer.allocate(5).put((byte) 'I').putInt((Integer) value).array();
        }
        if (type == Long.class) {
            return ByteBuffer.allocate(9).put((byte) 'J').putLong((Long) value).array();
        }
        if (type == String.class) {
            byte[] utf8 = ((String) value).getBytes(StandardCharsets.UTF_8);
            return tagged('S', utf8, 0, utf8.length);
        }
        if (type == byte[].class) {
            byte[] b = (byte[]) value;
            return tagged('b', b, 0, b.length);
        }
        if (type == Double.class) {
            return ByteBuffer.allocate(9).put((byte) 'D').putLong(Double.doubleToRawLongBits((Double) value)).array();
        }
        if (type == Boolean.class) {
            return new byte[] {'Z', (byte) ((Boolean) value ? 1 : 0)};
        }
        if (type == int[].class) {
            int[] a = (int[]) value;
            ByteBuffer b = ByteBuffer.allocate(1 + 4 * a.length).put((byte) 'i');
            b.asIntBuffer().put(a);
            return b.array();
        }
        if (type == long[].class) {
            long[] a = (long[]) value;
            ByteBuffer b = ByteBuffer.allocate(1 + 8 * a.length).put((byte) 'j');
            b.asLongBuffer().put(a);
            return b.array();
        }
        if (type == double[].class) {
            double[] a = (double[]) value;
            ByteBuffer b = ByteBuffer.allocate(1 + 8 * a.length).put((byte) 'd');
            b.asDoubleBuffer().put(a);
            return b.array();
        }
        byte[] serialized = Serialization.toBytes(value, "an object of " + type.getName());
        return tagged('X', serialized, 0, serialized.length);
    }

    /** Decodes what {@link #encode} wrote. */
    public static Object decode(byte[] data, int offset, int length) throws IOException, ClassNotFoundException {
        if (length < 1) {
            throw new IOException("empty object message");
        }
        ByteBuffer b = ByteBuffer.wrap(data, offset + 1, length - 1);
        int n = length - 1;
        switch (data[offset]) {
            case 'N':
                return null;
            case 'Z':
                return b.get() != 0;
            case 'I':
                return b.getInt();
            case 'J':
                return b.getLong();
            case 'D':
                return Double.longBitsToDouble(b.getLong());
            case 'S':
                return new String(data, offset + 1, n, StandardCharsets.UTF_8);
            case 'b': {
                byte[] out = new byte[n];
                System.arraycopy(data, offset + 1, out, 0, n);
                return out;
            }
            case 'i': {
                int[] out = new int[n / 4];
                b.asIntBuffer().get(out);
                return out;
            }
            case 'j': {
                long[] out = new long[n / 8];
                b.asLongBuffer().get(out);
                return out;
            }
            case 'd': {
                double[] out = new double[n / 8];
                b.asDoubleBuffer().get(out);
                return out;
            }
            case 'X': {
                byte[] serialized = new byte[n];
                System.arraycopy(data, offset + 1, serialized, 0, n);
                return Serialization.fromBytes(serialized);
            }
            default:
                throw new IOException("unknown object tag " + data[offset]);
        }
    }

    private static byte[] tagged(char tag, byte[] src, int offset, int length) {
        byte[] out = new byte[1 + length];
        out[0] = (byte) tag;
        System.arraycopy(src, offset, out, 1, length);
        return out;
    }
}
