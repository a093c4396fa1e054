package org.multiprocessing4j;

import org.multiprocessing4j.internal.wire.Dial;

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
        return new Connection(Dial.connect(address, authkey != null ? authkey : Process.authkey()), true, true);
    }
}
