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
 *
 *   worker -> pool, once, first
 *     worker number (int32)                                  which of the pool's workers connected
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

    /** The {@code 'C'} message: a call of {@code callable}, given serialized (copied once, behind the header). */
    static byte[] callMessage(long taskId, byte[] callable) {
        byte[] message = new byte[1 + 8 + callable.length];
        message[0] = CALL;
        for (int i = 0; i < 8; i++) {
            message[1 + i] = (byte) (taskId >>> (56 - 8 * i));
        }
        System.arraycopy(callable, 0, message, 9, callable.length);
        return message;
    }

    /**
     * The {@code 'M'} message: the function {@code fnId} applied to each of {@code args}.
     *
     * @throws IllegalArgumentException if an argument cannot be serialized (the message names its class)
     *     or the message would exceed the message limit
     */
    static byte[] mapMessage(long taskId, int fnId, java.util.List<?> args) {
        return taskMessage(MAP, taskId, fnId, args);
    }

    /**
     * The {@code 'R'} message of a task's results.
     *
     * @throws IllegalArgumentException if a result cannot be serialized, or the message would exceed the
     *     message limit
     */
    static byte[] resultMessage(long taskId, java.util.List<?> results) {
        return taskMessage(RESULT, taskId, -1, results);
    }

    /** {@code kind}, the task id, the function id unless negative, the values. */
    private static byte[] taskMessage(byte kind, long taskId, int fnId, java.util.List<?> values) {
        org.multiprocessing4j.internal.codec.LimitedBytes bytes = new org.multiprocessing4j.internal.codec.LimitedBytes(
                256, org.multiprocessing4j.internal.wire.MessageLimit.frameBytes());
        java.io.DataOutputStream out = new java.io.DataOutputStream(bytes);
        try {
            out.writeByte(kind);
            out.writeLong(taskId);
            if (fnId >= 0) {
                out.writeInt(fnId);
            }
            writeValues(out, values);
            out.flush();
        } catch (org.multiprocessing4j.internal.codec.LimitedBytes.Exceeded e) {
            IllegalArgumentException tooLarge = org.multiprocessing4j.internal.wire.MessageLimit.exceeded(kind == MAP
                    ? "a chunk of " + values.size() + " arguments (a smaller chunksize may fit)"
                    : "the results of " + values.size() + " task(s)");
            tooLarge.initCause(e);
            throw tooLarge;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * The head of the {@code 'F'} message: the kind and the function's id. The serialized function
     * follows it in the same frame, sent from its own buffer.
     */
    static java.nio.ByteBuffer defineHead(int fnId) {
        return java.nio.ByteBuffer.allocate(5).put(DEFINE).putInt(fnId).flip();
    }

    /** The {@code 'Q'} message. */
    static byte[] quitMessage() {
        return new byte[] {QUIT};
    }

    /** The first message of a worker: its number. */
    static byte[] helloMessage(int workerNumber) {
        return java.nio.ByteBuffer.allocate(4).putInt(workerNumber).array();
    }

    /**
     * Reads what {@link #helloMessage} wrote.
     *
     * @throws java.nio.BufferUnderflowException if the message is too short
     */
    static int readHello(byte[] message) {
        return java.nio.ByteBuffer.wrap(message).getInt();
    }

    /**
     * The {@code 'E'} message of a task that threw {@code t}: its type, its message (cut at 16,000
     * characters) and itself serialized, or, if it cannot be, a {@code RemoteException} carrying its
     * stack trace.
     */
    static byte[] errorMessage(long taskId, Throwable t) {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        java.io.DataOutputStream out = new java.io.DataOutputStream(bytes);
        try {
            out.writeByte(ERROR);
            out.writeLong(taskId);
            out.writeUTF(t.getClass().getName());
            String text = t.getMessage() == null ? "" : t.getMessage();
            out.writeUTF(text.length() > 16_000 ? text.substring(0, 16_000) + "…" : text);
            byte[] serialized;
            try {
                serialized = org.multiprocessing4j.internal.codec.Serialization.toBytes(t, "the task's exception");
            } catch (IllegalArgumentException notSerializable) {
                // the pool builds a RemoteException from the type and message; send the trace for it
                serialized = org.multiprocessing4j.internal.codec.Serialization.toBytes(
                        new org.multiprocessing4j.RemoteException(t.getClass().getName(), t.getMessage(), t.getStackTrace()),
                        "a stack trace");
            }
            out.write(serialized);
            out.flush();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * Reads the rest of an {@code 'E'} message (after the task id): the exception as itself if it
     * travelled, else a {@code RemoteException} with its type and message.
     */
    static Throwable readError(java.io.DataInputStream in) throws java.io.IOException {
        String type = in.readUTF();
        String text = in.readUTF();
        byte[] rest = in.readAllBytes();
        try {
            Throwable t = (Throwable) org.multiprocessing4j.internal.codec.Serialization.fromBytes(rest);
            if (t instanceof org.multiprocessing4j.RemoteException r && r.getCause() == null && r.remoteType().equals(type)) {
                return r; // it could not travel: its stand-in did
            }
            return t;
        } catch (java.io.IOException | ClassNotFoundException | ClassCastException e) {
            return new org.multiprocessing4j.RemoteException(type, text.isEmpty() ? null : text, null);
        }
    }
}
