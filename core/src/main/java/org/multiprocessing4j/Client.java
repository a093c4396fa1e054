package org.multiprocessing4j;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import org.multiprocessing4j.internal.wire.Address;
import org.multiprocessing4j.internal.wire.Handshake;
import org.multiprocessing4j.internal.wire.SocketTransport;

/** Connects to a {@link Listener} (Python's {@code multiprocessing.connection.Client}). */
public final class Client {
    private Client() {
    }

    /**
     * Connects to {@code address} ({@code "host:port"} or {@code "unix:<path>"}) and authenticates both
     * ways with {@code authkey} (null: this process's own). Authentication has a deadline
     * ({@code -Dmultiprocessing4j.handshakeTimeoutMillis}, 5 s by default), so a listener that does not
     * answer is given up on.
     *
     * @throws AuthenticationError if the listener uses another authkey, goes away or does not answer
     *     during authentication
     * @throws ProcessError if nothing listens there
     * @throws IllegalArgumentException if the address is malformed
     */
    public static Connection connect(String address, byte[] authkey) {
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
            Handshake.asClient(transport, authkey != null ? authkey : Process.authkey());
            return new Connection(transport, true, true);
        } catch (AuthenticationError e) {
            closeQuietly(transport, channel);
            throw e;
        } catch (IOException e) {
            closeQuietly(transport, channel);
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
