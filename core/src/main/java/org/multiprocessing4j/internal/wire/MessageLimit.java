package org.multiprocessing4j.internal.wire;

/**
 * The size limit of one message, read once from the system property {@value #PROPERTY} (a number of
 * bytes; by default as large as a frame allows). A child JVM is given its parent's value.
 *
 * <p>The limit is what a user's message may hold: for {@code send}, the object's encoding (the codec's
 * tag and the body); for {@code sendBytes}, the bytes. The library's own protocols wrap such a message
 * in a header of their own (a queue's request, a pool's task, a manager's call), so a frame may exceed
 * the limit by {@link #HEADROOM}: senders refuse anything longer before it is written, receivers refuse
 * a longer frame before they allocate room for it.
 */
public final class MessageLimit {
    /** The system property that lowers the limit, in bytes. */
    public static final String PROPERTY = "multiprocessing4j.maxMessageBytes";

    /** The room left in a frame for a protocol's own header around a message. */
    public static final int HEADROOM = 64 * 1024;

    /** The limit when the property is not set: the largest frame, less the headroom. */
    public static final int DEFAULT = FrameLayout.MAX_PAYLOAD - HEADROOM;

    private static final int BYTES = read();

    private MessageLimit() {
    }

    /** The largest message, in bytes. */
    public static int bytes() {
        return BYTES;
    }

    /** The largest frame payload a sender writes and a receiver accepts. */
    public static int frameBytes() {
        return BYTES + HEADROOM;
    }

    /** The error for a message of {@code what} that is larger than the limit. */
    public static IllegalArgumentException exceeded(String what) {
        return new IllegalArgumentException(what + " exceeds the message limit of " + BYTES + " bytes"
                + (BYTES == DEFAULT ? "" : " (" + PROPERTY + ")") + "; nothing was sent");
    }

    private static int read() {
        String value = System.getProperty(PROPERTY);
        if (value == null || value.isBlank()) {
            return DEFAULT;
        }
        long n;
        try {
            n = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            n = -1;
        }
        if (n < 1) {
            System.getLogger("org.multiprocessing4j.wire").log(System.Logger.Level.WARNING,
                    "{0}={1} is not a positive number of bytes; the limit stays {2}", PROPERTY, value, DEFAULT);
            return DEFAULT;
        }
        return (int) Math.min(n, DEFAULT);
    }
}
