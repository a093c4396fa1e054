package org.multiprocessing4j;

import org.multiprocessing4j.internal.wire.Dial;

/**
 * Connects to a {@link Listener} (Python's {@code multiprocessing.connection.Client}). {@link #connect}
 * blocks until the connection is authenticated both ways, within the handshake's deadline, and returns a
 * {@link Connection} that stays in this process; what it does when the peer dies, and its
 * {@code close()}, are as {@link Connection} says.
 */
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
     * @throws ProcessError if nothing listens there, or the thread is interrupted (the flag restored)
     * @throws IllegalArgumentException if the address is malformed
     */
    public static Connection connect(String address, byte[] authkey) {
        return new Connection(Dial.connect(address, authkey != null ? authkey : Process.authkey()), true, true);
    }
}
