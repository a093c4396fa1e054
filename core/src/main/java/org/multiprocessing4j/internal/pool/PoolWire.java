package org.multiprocessing4j.internal.pool;

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
    static final byte DEFINE = 'F';
    static final byte MAP = 'M';
    static final byte CALL = 'C';
    static final byte QUIT = 'Q';
    static final byte RESULT = 'R';
    static final byte ERROR = 'E';

    private PoolWire() {
    }

    /**
     * Writes values: a chunk made only of Integers (Longs, Doubles) as a plain array, which a new worker
     * JVM reads far faster than value by value while it is still interpreting; anything else value by
     * value.
     *
     * @throws IllegalArgumentException if a value cannot be serialized; the message names its class
     */
    static void writeValues(java.io.DataOutputStream out, java.util.List<?> values) throws java.io.IOException {
        int n = values.size();
        Class<?> only = n == 0 ? null : sameClass(values);
        if (only == Integer.class || only == Long.class || only == Double.class) {
            int width = only == Integer.class ? 4 : 8;
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(5 + width * n);
            b.put((byte) (only == Integer.class ? 'I' : only == Long.class ? 'J' : 'D')).putInt(n);
            for (Object v : values) {
                if (only == Integer.class) {
                    b.putInt((Integer) v);
                } else if (only == Long.class) {
                    b.putLong((Long) v);
                } else {
                    b.putDouble((Double) v);
                }
            }
            out.write(b.array());
            return;
        }
        out.writeByte('V');
        out.writeInt(n);
        for (Object v : values) {
            writeValue(out, v);
        }
    }

    private static Class<?> sameClass(java.util.List<?> values) {
        Object first = values.get(0);
        Class<?> c = first == null ? null : first.getClass();
        for (Object v : values) {
            if (v == null || v.getClass() != c) {
                return null;
            }
        }
        return c;
    }

    /** Reads what {@link #writeValues} wrote. */
    static java.util.List<Object> readValues(java.io.DataInputStream in) throws java.io.IOException, ClassNotFoundException {
        byte kind = in.readByte();
        int n = in.readInt();
        java.util.List<Object> out = new java.util.ArrayList<>(n);
        switch (kind) {
            case 'V' -> {
                for (int i = 0; i < n; i++) {
                    out.add(readValue(in));
                }
            }
            case 'I' -> {
                int[] a = new int[n];
                java.nio.ByteBuffer.wrap(in.readNBytes(4 * n)).asIntBuffer().get(a);
                for (int v : a) {
                    out.add(v);
                }
            }
            case 'J' -> {
                long[] a = new long[n];
                java.nio.ByteBuffer.wrap(in.readNBytes(8 * n)).asLongBuffer().get(a);
                for (long v : a) {
                    out.add(v);
                }
            }
            case 'D' -> {
                double[] a = new double[n];
                java.nio.ByteBuffer.wrap(in.readNBytes(8 * n)).asDoubleBuffer().get(a);
                for (double v : a) {
                    out.add(v);
                }
            }
            default -> throw new java.io.IOException("unknown kind of values " + kind);
        }
        return out;
    }

    /** Writes a value: the codec's tag, the body's length, the body. */
    static void writeValue(java.io.DataOutputStream out, Object value) throws java.io.IOException {
        org.multiprocessing4j.internal.codec.Codec.Encoded e = org.multiprocessing4j.internal.codec.Codec.encode(value);
        out.writeByte(e.tag());
        out.writeInt(e.body().length);
        out.write(e.body());
    }

    /** Reads what {@link #writeValue} wrote. */
    static Object readValue(java.io.DataInputStream in) throws java.io.IOException, ClassNotFoundException {
        byte tag = in.readByte();
        byte[] body = new byte[in.readInt()];
        in.readFully(body);
        return org.multiprocessing4j.internal.codec.Codec.decode(tag, body);
    }
}
