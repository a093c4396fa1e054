package org.multiprocessing4j.internal.wire;

/**
 * The layout of one message on a connection, the only place it is written down.
 *
 * <pre>
 *   0        4        5
 *   +--------+--------+---------------------------+
 *   | length | kind   | payload (length bytes)    |
 *   +--------+--------+---------------------------+
 *   length: int32, big-endian, the payload's size, 0 .. {@link #MAX_PAYLOAD}
 *   kind:   {@link #RAW} for sendBytes, {@link #OBJECT} for send
 *   payload of an OBJECT frame: the {@code Codec}'s tag byte, then the value's body
 * </pre>
 *
 * Message boundaries are kept: one send is one frame, one receive reads one whole frame.
 */
public final class FrameLayout {
    public static final int LENGTH_OFFSET = 0;
    public static final int KIND_OFFSET = 4;
    public static final int HEADER_LENGTH = 5;

    /** A payload written by {@code sendBytes}. */
    public static final byte RAW = 'B';
    /** A payload written by {@code send}: an object in the {@code Codec} encoding. */
    public static final byte OBJECT = 'O';

    /** The largest payload: a Java array's limit, less headroom. */
    public static final int MAX_PAYLOAD = Integer.MAX_VALUE - 16;

    private FrameLayout() {
    }

    /** The header of a frame of {@code kind} with a payload of {@code payloadLength} bytes, ready to write. */
    public static java.nio.ByteBuffer header(byte kind, int payloadLength) {
        return putHeader(java.nio.ByteBuffer.allocate(HEADER_LENGTH), kind, payloadLength).flip();
    }

    /**
     * Puts that header at {@code b}'s position, which moves past it, for a payload that follows in the
     * same buffer or another; returns {@code b}.
     */
    public static java.nio.ByteBuffer putHeader(java.nio.ByteBuffer b, byte kind, int payloadLength) {
        return b.putInt(payloadLength).put(kind);
    }
}
