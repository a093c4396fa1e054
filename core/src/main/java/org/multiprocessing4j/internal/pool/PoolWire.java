package org.multiprocessing4j.internal.pool;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.multiprocessing4j.internal.codec.Codec;
import org.multiprocessing4j.internal.codec.MessageReader;
import org.multiprocessing4j.internal.codec.MessageWriter;

/**
 * The messages between a pool and one of its workers, each one RAW frame on the worker's pipe. The
 * only place the layout is written down. Numbers are big-endian; a value is the codec's tag, a length
 * (int32) and the body.
 *
 * <pre>
 *   pool -> worker
 *     'F' fn id (int32) | the function, JDK-serialized       define the function later tasks name
 *     'M' task id (int64) | fn id (int32) | values           apply the function to each value
 *     'C' task id (int64) | the callable, JDK-serialized    call it
 *     'Q'                                                    finish: exit once idle
 *   worker -> pool
 *     'R' task id (int64) | values                           the results, in order
 *
 *   values: kind (1) | n (int32) | then by kind
 *     'V'  n × (tag (1) | length (int32) | body)             any values, each as the codec encodes it
 *     'I'  n × int32    'J'  n × int64    'D'  n × float64   a chunk of Integers, Longs or Doubles only
 *     'E' task id (int64) | type (UTF) | message (UTF, "" for none) | the exception, JDK-serialized, or
 *         nothing if it could not be; then the pool builds a RemoteException from the type and message
 * </pre>
 *
 * A worker runs one task at a time, in the order they came; a worker holds one function at a time
 * (the last defined). A task's values arrive decoded by {@code Codec}; so do the results.
 */
final class PoolWire {
    /** The messages a pool sends its worker. */
    static final byte DEFINE = 'F', MAP = 'M', CALL = 'C', QUIT = 'Q';

    /** The messages a worker sends its pool. */
    static final byte RESULT = 'R', ERROR = 'E';

    /** The kinds of values: any, or a chunk of Integers, Longs or Doubles only. */
    static final byte ANY = 'V', INTS = 'I', LONGS = 'J', DOUBLES = 'D';

    private PoolWire() {
    }

    /**
     * Writes values: a chunk made only of Integers (Longs, Doubles) as a plain array, which a new worker
     * JVM reads far faster than value by value while it is still interpreting; anything else value by
     * value.
     *
     * @throws IllegalArgumentException if a value cannot be serialized; the message names its class
     */
    static void writeValues(DataOutput out, List<?> values) throws IOException {
        int n = values.size();
        Class<?> only = n == 0 ? null : sameClass(values);
        if (only != Integer.class && only != Long.class && only != Double.class) {
            out.writeByte(ANY);
            out.writeInt(n);
            for (Object v : values) {
                writeValue(out, v);
            }
            return;
        }
        // into the message itself, or else into an array written in one piece
        MessageWriter w = out instanceof MessageWriter m ? m
                : new MessageWriter("values", 5 + (only == Integer.class ? 4 : 8) * n, Integer.MAX_VALUE - 8);
        if (only == Integer.class) {
            w.writeByte(INTS);
            w.writeInt(n);
            for (Object v : values) {
                w.writeInt((Integer) v);
            }
        } else if (only == Long.class) {
            w.writeByte(LONGS);
            w.writeInt(n);
            for (Object v : values) {
                w.writeLong((Long) v);
            }
        } else {
            w.writeByte(DOUBLES);
            w.writeInt(n);
            for (Object v : values) {
                w.writeDouble((Double) v);
            }
        }
        if (w != out) {
            out.write(w.array(), 0, w.length());
        }
    }

    private static Class<?> sameClass(List<?> values) {
        Object first = values.get(0);
        Class<?> c = first == null ? null : first.getClass();
        for (Object v : values) {
            if (v == null || v.getClass() != c) {
                return null;
            }
        }
        return c;
    }

    /**
     * Reads what {@link #writeValues} wrote.
     *
     * @throws java.io.EOFException if the values are cut short
     * @throws IOException if their kind is unknown or their count negative
     */
    static List<Object> readValues(DataInput in) throws IOException, ClassNotFoundException {
        byte kind = in.readByte();
        int n = in.readInt();
        if (n < 0) {
            throw new IOException("corrupt pool message: " + n + " values");
        }
        switch (kind) {
            case ANY -> {
                List<Object> out = new ArrayList<>(Math.min(n, 1024));
                for (int i = 0; i < n; i++) {
                    out.add(readValue(in));
                }
                return out;
            }
            case INTS -> {
                int[] a = new int[n];
                ByteBuffer.wrap(chunk(in, n, 4)).asIntBuffer().get(a);
                List<Object> out = new ArrayList<>(n);
                for (int v : a) {
                    out.add(v);
                }
                return out;
            }
            case LONGS -> {
                long[] a = new long[n];
                ByteBuffer.wrap(chunk(in, n, 8)).asLongBuffer().get(a);
                List<Object> out = new ArrayList<>(n);
                for (long v : a) {
                    out.add(v);
                }
                return out;
            }
            case DOUBLES -> {
                double[] a = new double[n];
                ByteBuffer.wrap(chunk(in, n, 8)).asDoubleBuffer().get(a);
                List<Object> out = new ArrayList<>(n);
                for (double v : a) {
                    out.add(v);
                }
                return out;
            }
            default -> throw new IOException("unknown kind of values " + kind);
        }
    }

    /** The bytes of a chunk of {@code n} numbers of {@code width} bytes each. */
    private static byte[] chunk(DataInput in, int n, int width) throws IOException {
        if (in instanceof MessageReader r) {
            r.checkCount(n, width, "numbers");
        }
        byte[] raw = new byte[Math.multiplyExact(n, width)];
        in.readFully(raw);
        return raw;
    }

    /** Writes a value: a VALUE, as {@link MessageWriter#writeValue} lays it out. */
    static void writeValue(DataOutput out, Object value) throws IOException {
        Codec.Encoded e = Codec.encode(value);
        if (out instanceof MessageWriter w) {
            w.writeValue(e);
            return;
        }
        out.writeByte(e.tag());
        out.writeInt(e.body().length);
        out.write(e.body());
    }

    /** Reads what {@link #writeValue} wrote. */
    static Object readValue(DataInput in) throws IOException, ClassNotFoundException {
        if (in instanceof MessageReader r) {
            Codec.Encoded e = r.readValue();
            return Codec.decode(e.tag(), e.body());
        }
        byte tag = in.readByte();
        int length = in.readInt();
        if (length < 0) {
            throw new IOException("corrupt pool message: a value of " + length + " bytes");
        }
        byte[] body = new byte[length];
        in.readFully(body);
        return Codec.decode(tag, body);
    }
}
