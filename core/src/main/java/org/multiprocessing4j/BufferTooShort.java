package org.multiprocessing4j;

/**
 * {@link Connection#recvBytesInto(byte[], int)} got a message longer than the room left in the buffer.
 * The message is not lost: {@link #message()} holds all of it.
 */
public class BufferTooShort extends ProcessError {
    private static final long serialVersionUID = 1L;
    private final byte[] message;

    public BufferTooShort(byte[] message, int room) {
        super("a message of " + message.length + " bytes does not fit in the " + room + " bytes left in the buffer");
        this.message = message;
    }

    /** The whole message that did not fit. */
    public byte[] message() {
        return message;
    }
}
