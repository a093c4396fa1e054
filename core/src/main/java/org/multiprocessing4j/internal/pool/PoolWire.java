package org.multiprocessing4j.internal.pool;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.UTFDataFormatException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.multiprocessing4j.RemoteException;
import org.multiprocessing4j.internal.codec.Codec;
import org.multiprocessing4j.internal.codec.MessageReader;
import org.multiprocessing4j.internal.codec.MessageWriter;
import org.multiprocessing4j.internal.codec.Serialization;
import org.multiprocessing4j.internal.wire.MessageLimit;

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
 *     'E' task id (int64) | type (UTF) | message (UTF, "" for none) | the exception, JDK-serialized, or
 *         nothing if it could not be; then the pool builds a RemoteException from the type and message
 *
 *   values: kind (1) | n (int32) | then by kind
 *     'V'  n × (tag (1) | length (int32) | body)             any values, each as the codec encodes it
 *     'I'  n × int32    'J'  n × int64    'D'  n × float64   a chunk of Integers, Longs or Doubles only
 *
 *   worker -> pool, once, first
 *     worker number (int32)                                  which of the pool's workers connected
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
        writeValues(out, values, kindOf(values));
    }

    /** {@link #writeValues(DataOutput, List)} with the values' kind, as {@link #kindOf} gives it. */
    private static void writeValues(DataOutput out, List<?> values, byte kind) throws IOException {
        int n = values.size();
        if (kind == ANY) {
            out.writeByte(ANY);
            out.writeInt(n);
            for (Object v : values) {
                writeValue(out, v);
            }
            return;
        }
        // into the message itself, or else into an array written in one piece
        MessageWriter w = out instanceof MessageWriter m ? m
                : new MessageWriter("values", 5 + width(kind) * n, Integer.MAX_VALUE - 8);
        w.writeByte(kind);
        w.writeInt(n);
        if (kind == INTS) {
            for (Object v : values) {
                w.writeInt((Integer) v);
            }
        } else if (kind == LONGS) {
            for (Object v : values) {
                w.writeLong((Long) v);
            }
        } else {
            for (Object v : values) {
                w.writeDouble((Double) v);
            }
        }
        if (w != out) {
            out.write(w.array(), 0, w.length());
        }
    }

    /** The bytes of one number in a chunk of {@code kind} INTS, LONGS or DOUBLES. */
    private static int width(byte kind) {
        return kind == INTS ? Integer.BYTES : Long.BYTES;
    }

    /** INTS, LONGS or DOUBLES if every value is an Integer, a Long or a Double; else ANY. */
    private static byte kindOf(List<?> values) {
        Class<?> only = values.isEmpty() ? null : sameClass(values);
        return only == Integer.class ? INTS : only == Long.class ? LONGS : only == Double.class ? DOUBLES : ANY;
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
            case INTS, LONGS, DOUBLES -> {
                if (in instanceof MessageReader r) {
                    r.checkCount(n, width(kind), "numbers");
                }
                // boxed straight from the message: no copy of its bytes and no array of the numbers, which
                // in a young JVM cost more than the loop (each new page of them is a page fault)
                List<Object> out = new ArrayList<>(n);
                if (kind == INTS) {
                    for (int i = 0; i < n; i++) {
                        out.add(in.readInt());
                    }
                } else if (kind == LONGS) {
                    for (int i = 0; i < n; i++) {
                        out.add(in.readLong());
                    }
                } else {
                    for (int i = 0; i < n; i++) {
                        out.add(in.readDouble());
                    }
                }
                return out;
            }
            default -> throw new IOException("unknown kind of values " + kind);
        }
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

    /**
     * Reads a worker's answer: the results of an {@code 'R'} message, or the exception of an {@code 'E'}
     * message. The task id in the message is not looked at: the caller matched it.
     *
     * @throws IOException if the message is neither, or corrupt
     */
    static RemoteWorkers.Answer readAnswer(byte[] message) throws IOException, ClassNotFoundException {
        return readAnswer(message, 0, message.length);
    }

    /** {@link #readAnswer(byte[])} of the {@code length} bytes of {@code message} from {@code offset}. */
    static RemoteWorkers.Answer readAnswer(byte[] message, int offset, int length) throws IOException, ClassNotFoundException {
        if (length < 1 + Long.BYTES) {
            throw new IOException("a pool message of " + length + " bytes");
        }
        MessageReader in = new MessageReader("a pool message", message, offset + 1 + Long.BYTES, length - 1 - Long.BYTES);
        return switch (message[offset]) {
            case RESULT -> new RemoteWorkers.Results(readValues(in));
            case ERROR -> new RemoteWorkers.Failure(readError(in));
            default -> throw new IOException("unknown message " + message[offset]);
        };
    }

    /** The {@code 'C'} message: a call of {@code callable}, given serialized (copied once, behind the header). */
    static byte[] callMessage(long taskId, byte[] callable) {
        byte[] message = new byte[1 + 8 + callable.length];
        message[0] = CALL;
        MessageWriter.putLong(message, 1, taskId);
        System.arraycopy(callable, 0, message, 9, callable.length);
        return message;
    }

    /**
     * The {@code 'M'} message: the function {@code fnId} applied to each of {@code args}.
     *
     * @throws IllegalArgumentException if an argument cannot be serialized (the message names its class)
     *     or the message would exceed the message limit
     */
    static byte[] mapMessage(long taskId, int fnId, List<?> args) {
        return taskMessage(MAP, taskId, fnId, args, "a chunk of arguments (a smaller chunksize may fit)");
    }

    /**
     * The {@code 'R'} message of a task's results.
     *
     * @throws IllegalArgumentException if a result cannot be serialized, or the message would exceed the
     *     message limit
     */
    static byte[] resultMessage(long taskId, List<?> results) {
        return taskMessage(RESULT, taskId, -1, results, "the results of a task");
    }

    /** {@code kind}, the task id, the function id unless negative, the values. */
    private static byte[] taskMessage(byte kind, long taskId, int fnId, List<?> values, String what) {
        byte valuesKind = kindOf(values);
        int head = 1 + Long.BYTES + (fnId >= 0 ? Integer.BYTES : 0);
        // numbers: the exact size, so that the message is written once, neither grown nor copied at the end
        long exact = valuesKind == ANY ? 0 : head + 1 + Integer.BYTES + (long) width(valuesKind) * values.size();
        int capacity = exact > 0 && exact <= MessageLimit.frameBytes() ? (int) exact : 256;
        MessageWriter out = new MessageWriter(what, capacity);
        out.writeByte(kind);
        out.writeLong(taskId);
        if (fnId >= 0) {
            out.writeInt(fnId);
        }
        try {
            writeValues(out, values, valuesKind);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a MessageWriter does no I/O
        }
        return out.toByteArray();
    }

    /**
     * The head of the {@code 'F'} message: the kind and the function's id. The serialized function
     * follows it in the same frame, sent from its own buffer.
     */
    static ByteBuffer defineHead(int fnId) {
        return ByteBuffer.allocate(5).put(DEFINE).putInt(fnId).flip();
    }

    /** The {@code 'Q'} message. */
    static byte[] quitMessage() {
        return new byte[] {QUIT};
    }

    /** The first message of a worker: its number. */
    static byte[] helloMessage(int workerNumber) {
        return MessageWriter.intBytes(workerNumber);
    }

    /**
     * Reads what {@link #helloMessage} wrote.
     *
     * @throws IndexOutOfBoundsException if the message is too short
     */
    static int readHello(byte[] message) {
        return MessageReader.intAt(message, 0);
    }

    /**
     * The {@code 'E'} message of a task that threw {@code t}: its type, its message (cut at 16,000
     * characters) and itself serialized, or, if it cannot be, a {@code RemoteException} carrying its
     * stack trace.
     */
    static byte[] errorMessage(long taskId, Throwable t) {
        MessageWriter out = new MessageWriter("a task's exception", 256);
        out.writeByte(ERROR);
        out.writeLong(taskId);
        String text = t.getMessage() == null ? "" : t.getMessage();
        try {
            out.writeUTF(t.getClass().getName());
            out.writeUTF(text.length() > 16_000 ? text.substring(0, 16_000) + "…" : text);
        } catch (UTFDataFormatException e) {
            throw new UncheckedIOException(e); // a class name, and a text cut well below 64 KiB of UTF-8
        }
        byte[] serialized;
        try {
            serialized = Serialization.toBytes(t, "the task's exception");
        } catch (IllegalArgumentException notSerializable) {
            // the pool builds a RemoteException from the type and message; send the trace for it
            serialized = Serialization.toBytes(
                    new RemoteException(t.getClass().getName(), t.getMessage(), t.getStackTrace()), "a stack trace");
        }
        out.write(serialized);
        return out.toByteArray();
    }

    /**
     * Reads the rest of an {@code 'E'} message (after the task id): the exception as itself if it
     * travelled, else a {@code RemoteException} with its type and message.
     */
    static Throwable readError(MessageReader in) throws IOException {
        String type = in.readUTF();
        String text = in.readUTF();
        byte[] rest = new byte[in.remaining()];
        in.readFully(rest);
        try {
            Throwable t = (Throwable) Serialization.fromBytes(rest);
            if (t instanceof RemoteException r && r.getCause() == null && r.remoteType().equals(type)) {
                return r; // it could not travel: its stand-in did
            }
            return t;
        } catch (IOException | ClassNotFoundException | ClassCastException e) {
            return new RemoteException(type, text.isEmpty() ? null : text, null);
        }
    }
}
