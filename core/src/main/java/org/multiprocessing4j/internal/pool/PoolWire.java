package org.multiprocessing4j.internal.pool;

/**
 * The messages between a pool and one of its workers, each one RAW frame on the worker's pipe. The
 * only place the layout is written down. Numbers are big-endian; a value is the codec's tag, a length
 * (int32) and the body.
 *
 * <pre>
 *   pool -> worker
 *     'F' fn id (int32) | the function, JDK-serialized       define the function later tasks name
 *     'M' task id (int64) | fn id (int32) | n (int32) | n values   apply the function to each value
 *     'C' task id (int64) | the callable, JDK-serialized    call it
 *     'Q'                                                    finish: exit once idle
 *   worker -> pool
 *     'R' task id (int64) | n (int32) | n values             the results, in order
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
