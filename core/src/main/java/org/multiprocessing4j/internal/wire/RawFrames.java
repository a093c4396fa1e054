package org.multiprocessing4j.internal.wire;

import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.ClosedChannelException;
import org.multiprocessing4j.EOFError;
import org.multiprocessing4j.ProcessError;

/**
 * Byte messages on a {@link SocketTransport}, for the library's own request/reply protocols, failing as
 * {@code Connection}'s byte messages do: the peer gone is {@link EOFError}, this end closed is
 * {@link IllegalStateException}, an interrupt is {@link ProcessError} caused by an
 * {@link InterruptedException} (the interrupt flag restored), anything else {@link ProcessError}.
 */
public final class RawFrames {
    private RawFrames() {
    }

    /**
     * Sends {@code message} as one RAW frame.
     *
     * @throws IllegalArgumentException if it exceeds the message limit ({@link MessageLimit}); nothing is sent
     */
    public static void send(SocketTransport t, byte[] message) {
        if (message.length > MessageLimit.bytes()) {
            throw MessageLimit.exceeded("a message of " + message.length + " bytes");
        }
        try {
            t.send(FrameLayout.RAW, message, 0, message.length);
        } catch (InterruptedIOException e) {
            throw interrupted("send", e);
        } catch (IOException e) {
            throw failure(e);
        }
    }

    /** Sends an object's encoding ({@code Connection.send}'s frame: its codec tag and body). */
    public static void sendObject(SocketTransport t, byte tag, byte[] body) {
        try {
            t.sendObject(tag, body, 0, body.length);
        } catch (InterruptedIOException e) {
            throw interrupted("send", e);
        } catch (IOException e) {
            throw failure(e);
        }
    }

    /** Receives the next frame's payload, blocking until it comes. */
    public static byte[] recv(SocketTransport t) {
        try {
            return t.recv(FrameLayout.MAX_PAYLOAD).payload();
        } catch (InterruptedIOException e) {
            throw interrupted("recv", e);
        } catch (IOException e) {
            throw failure(e);
        }
    }

    /** Whether a receive would not block (a frame, or the peer's end of stream), without waiting. */
    public static boolean poll(SocketTransport t) {
        return poll(t, 0);
    }

    /**
     * Whether a receive would not block (a frame, or the peer's end of stream), waiting up to
     * {@code timeoutNanos} (0 or less: not at all).
     */
    public static boolean poll(SocketTransport t, long timeoutNanos) {
        try {
            return t.poll(Math.max(0, timeoutNanos));
        } catch (InterruptedIOException e) {
            throw interrupted("poll", e);
        } catch (IOException e) {
            throw failure(e);
        }
    }

    /**
     * What a failed send or receive means to a caller, the one mapping for every connection, by the
     * exception's type: the peer gone ({@link EOFException}, which {@link SocketTransport} also throws
     * for a reset or broken socket) is {@link org.multiprocessing4j.EOFError}; this end closed
     * ({@link ClosedChannelException}) is {@link IllegalStateException}, the caller's misuse; anything
     * else (a corrupt frame, say) is {@link org.multiprocessing4j.ProcessError}.
     */
    public static RuntimeException failure(IOException e) {
        if (e instanceof EOFException) {
            return new EOFError(e.getMessage(), e);
        }
        if (e instanceof ClosedChannelException) {
            return new IllegalStateException("connection is closed", e);
        }
        return new ProcessError("connection failed: " + e, e);
    }

    /**
     * An interrupted send, receive or poll as a caller sees it: {@link ProcessError} caused by an
     * {@link InterruptedException}, the interrupt flag restored.
     */
    public static ProcessError interrupted(String what, InterruptedIOException e) {
        InterruptedException cause = new InterruptedException(e.getMessage());
        cause.initCause(e);
        Thread.currentThread().interrupt();
        return new ProcessError(what + " was interrupted", cause);
    }
}
