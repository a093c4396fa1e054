package org.multiprocessing4j;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import org.multiprocessing4j.internal.wire.Address;

/** Connects to a {@link Listener} (Python's {@code multiprocessing.connection.Client}). */
public final class Client {
    private Client() {
    }

    /**
     * Connects to {@code address} ({@code "host:port"} or {@code "unix:<path>"}) and authenticates both
     * ways with {@code authkey} (null: this process's own).
     *
     * @throws AuthenticationError if the listener uses another authkey
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
        return Listener.authenticate(channel, authkey != null ? authkey.clone() : Process.authkey(), false);
    }
}
