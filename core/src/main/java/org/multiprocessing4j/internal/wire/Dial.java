package org.multiprocessing4j.internal.wire;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import org.multiprocessing4j.AuthenticationError;
import org.multiprocessing4j.ProcessError;

/**
 * The connecting side of an authenticated connection, for every client of the library: connect to an
 * address, then {@link Handshake#asClient} within its deadline ({@link Handshake#timeoutNanos()}), and
 * hand back the ready {@link SocketTransport}. The accepting side is {@link Acceptor}.
 */
public final class Dial {
    private Dial() {
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
        Address a = Address.parse(address);
        SocketChannel channel;
        try {
            channel = a.connect();
        } catch (IOException e) {
            throw new ProcessError("cannot connect to " + a.text() + ": " + e.getMessage(), e);
        }
        SocketTransport transport = null;
        try {
            transport = new SocketTransport(channel);
            Handshake.asClient(transport, authkey);
            return transport;
        } catch (AuthenticationError e) {
            closeQuietly(transport, channel);
            throw e;
        } catch (IOException e) {
            closeQuietly(transport, channel);
            if (e instanceof java.io.InterruptedIOException && !(e instanceof java.net.SocketTimeoutException)) {
                InterruptedException cause = new InterruptedException(e.getMessage());
                cause.initCause(e);
                Thread.currentThread().interrupt(); // it stays set, as ProcessError.interrupted leaves it
                throw new ProcessError("connecting to " + a.text() + " was interrupted", cause);
            }
            throw new AuthenticationError("the listener at " + a.text() + " went away or did not answer during"
                    + " authentication: " + e.getMessage());
        }
    }

    private static void closeQuietly(SocketTransport transport, SocketChannel channel) {
        if (transport != null) {
            transport.close();
            return;
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing is all we wanted
        }
    }
}
