package org.multiprocessing4j.internal.wire;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.SocketChannel;
import org.multiprocessing4j.AuthenticationError;
import org.multiprocessing4j.ProcessError;

/**
 * The connecting side of an authenticated connection, the one place in the library that opens one:
 * connect to an address, then {@link Handshake#asClient} within its deadline ({@link Handshake#timeoutNanos()}),
 * and hand back the ready {@link SocketTransport}. The accepting side is {@link Acceptor}.
 *
 * <p>{@link #connect} fails in the library's own words ({@link ProcessError}, {@link AuthenticationError});
 * a caller whose contract names failures otherwise (a manager that is gone is {@code EOFError}, a pipe's
 * home that is gone an {@code EOFException}) uses {@link #open}, which says why it failed as a
 * {@link Reason}, and names each reason in one switch.
 */
public final class Dial {
    private Dial() {
    }

    /** Why a dial failed. */
    public enum Reason {
        /** The connect failed: nothing listens at the address (or the connect itself was interrupted). */
        NOTHING_LISTENS,
        /** The peer went away, reset the connection or did not answer within the handshake's deadline. */
        GONE_DURING_HANDSHAKE,
        /** The peer refused our key, or proved none, or did not speak the handshake. */
        REFUSED_KEY,
        /** The thread was interrupted during the handshake; its interrupt flag stays set. */
        INTERRUPTED
    }

    /**
     * A dial that failed, and why. Its message is that of {@link #getCause()}, which is what failed as it
     * was thrown: the connect's or the handshake's {@link IOException}, or for {@link Reason#REFUSED_KEY}
     * the handshake's {@link AuthenticationError}. Nothing of the dial stays open.
     */
    public static final class Failed extends Exception {
        private static final long serialVersionUID = 1L;
        private final Reason reason;
        private final String address;

        Failed(Reason reason, String address, Throwable cause) {
            super(cause.getMessage(), cause);
            this.reason = reason;
            this.address = address;
        }

        public Reason reason() {
            return reason;
        }

        /** The address dialled, as it was given. */
        public String address() {
            return address;
        }

        /**
         * Throws the cause as it was thrown: the {@link IOException}, or the {@link AuthenticationError}.
         * Never returns; it is typed so that a caller writes {@code throw f.rethrowCause()}.
         */
        RuntimeException rethrowCause() throws IOException {
            if (getCause() instanceof AuthenticationError refused) {
                throw refused;
            }
            throw (IOException) getCause();
        }
    }

    /**
     * Connects to {@code address} ({@code "host:port"} or {@code "unix:<path>"}) and authenticates both
     * ways with {@code authkey}. Blocks for the connect, then at most {@link Handshake#timeoutNanos()}.
     * On failure nothing stays open.
     *
     * @throws AuthenticationError if the peer uses another authkey, goes away or does not answer during
     *     authentication
     * @throws ProcessError if nothing listens there, or the thread is interrupted (with an
     *     {@link InterruptedException} cause; the interrupt flag stays set)
     * @throws IllegalArgumentException if the address is malformed
     */
    public static SocketTransport connect(String address, byte[] authkey) {
        try {
            return open(address, authkey);
        } catch (Failed f) {
            throw switch (f.reason()) {
                case NOTHING_LISTENS -> new ProcessError("cannot connect to " + f.address() + ": " + f.getMessage(),
                        f.getCause());
                case GONE_DURING_HANDSHAKE -> new AuthenticationError("the listener at " + f.address()
                        + " went away or did not answer during authentication: " + f.getMessage());
                case REFUSED_KEY -> (AuthenticationError) f.getCause();
                case INTERRUPTED -> {
                    InterruptedException cause = new InterruptedException(f.getMessage());
                    cause.initCause(f.getCause());
                    yield new ProcessError("connecting to " + f.address() + " was interrupted", cause);
                }
            };
        }
    }

    /**
     * {@link #connect}, with the failure given as its {@link Reason} for the caller to name. Blocks as
     * {@link #connect} does; on failure nothing stays open.
     *
     * @throws Failed if the connect or the handshake failed
     * @throws IllegalArgumentException if the address is malformed
     */
    public static SocketTransport open(String address, byte[] authkey) throws Failed {
        Address a = Address.parse(address);
        SocketTransport t = socket(a);
        authenticate(t, a, authkey);
        return t;
    }

    /**
     * The first half of {@link #open}: the connected socket, not yet authenticated, for a caller that
     * runs the handshake on another thread (a pipe whose two ends are in this JVM).
     */
    static SocketTransport socket(Address a) throws Failed {
        SocketChannel channel;
        try {
            channel = a.connect();
        } catch (ClosedByInterruptException e) {
            // interrupted while it connected (the channel set the flag): an interrupt, not a missing listener
            throw new Failed(Reason.INTERRUPTED, a.text(), e);
        } catch (IOException e) {
            throw new Failed(Reason.NOTHING_LISTENS, a.text(), e);
        }
        try {
            return new SocketTransport(channel);
        } catch (IOException e) {
            try {
                channel.close();
            } catch (IOException alsoFailed) {
                e.addSuppressed(alsoFailed);
            }
            throw new Failed(Reason.NOTHING_LISTENS, a.text(), e);
        }
    }

    /** The second half of {@link #open}: the client's handshake on {@code t}, which is closed if it fails. */
    static void authenticate(SocketTransport t, Address a, byte[] authkey) throws Failed {
        try {
            Handshake.asClient(t, authkey);
        } catch (AuthenticationError e) {
            t.close();
            throw new Failed(Reason.REFUSED_KEY, a.text(), e);
        } catch (IOException e) {
            t.close();
            if (e instanceof ClosedByInterruptException
                    || e instanceof InterruptedIOException && !(e instanceof SocketTimeoutException)) {
                Thread.currentThread().interrupt(); // it stays set, as ProcessError.interrupted leaves it
                throw new Failed(Reason.INTERRUPTED, a.text(), e);
            }
            throw new Failed(Reason.GONE_DURING_HANDSHAKE, a.text(), e);
        } catch (RuntimeException e) {
            t.close();
            throw e;
        }
    }
}
