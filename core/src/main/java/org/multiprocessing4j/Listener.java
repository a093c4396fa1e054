package org.multiprocessing4j;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.multiprocessing4j.internal.launch.RuntimeDir;
import org.multiprocessing4j.internal.wire.Address;
import org.multiprocessing4j.internal.wire.Handshake;
import org.multiprocessing4j.internal.wire.SocketTransport;

/**
 * A server socket that hands out authenticated {@link Connection}s (Python's
 * {@code multiprocessing.connection.Listener}).
 *
 * <p>The address is {@code "host:port"} for TCP (port 0 picks a free port; see {@link #address()}) or
 * {@code "unix:<path>"} for a Unix-domain socket; null picks a socket in this JVM's private runtime
 * directory. Every accepted connection is authenticated both ways with an HMAC challenge on the authkey
 * before anything is deserialized; a peer with another key fails with {@link AuthenticationError}, raised
 * by {@link #accept()} here and by {@link Client#connect} there. A null authkey means this process's own
 * (inherited by its children, as in Python).
 *
 * <p>{@link #close()} stops listening, removes a Unix socket's file, and wakes a thread blocked in
 * {@code accept()} with {@link IllegalStateException}. Connections already accepted stay open.
 */
public final class Listener implements AutoCloseable {
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private final ServerSocketChannel server;
    private final byte[] authkey;
    private final String address;
    private final Path socketFile;
    private volatile boolean closed;

    /** A listener on a new socket in this JVM's private runtime directory, with this process's authkey. */
    public Listener() {
        this(null, null);
    }

    /**
     * Listens on {@code address}.
     *
     * @throws IllegalArgumentException if the address is malformed
     * @throws ProcessError if it cannot be bound (already in use, say)
     */
    public Listener(String address, byte[] authkey) {
        this.authkey = authkey != null ? authkey.clone() : Process.authkey();
        Address a = Address.parse(address != null ? address : "unix:" + RuntimeDir.get()
                .resolve("listener-" + COUNTER.incrementAndGet() + ".sock"));
        try {
            this.server = a.bind();
        } catch (IOException e) {
            throw new ProcessError("cannot listen on " + a.text() + ": " + e.getMessage(), e);
        }
        try {
            this.address = Address.describe(server.getLocalAddress());
        } catch (IOException e) {
            close(server);
            throw new ProcessError("cannot listen on " + a.text() + ": " + e.getMessage(), e);
        }
        this.socketFile = a.isUnix() ? ((UnixDomainSocketAddress) a.socket()).getPath() : null;
    }

    /** The bound address, written as {@link Client#connect} takes it, e.g. {@code 127.0.0.1:40123}. */
    public String address() {
        return address;
    }

    /**
     * Waits for a client, authenticates it and returns the connection.
     *
     * @throws AuthenticationError if the client does not know the authkey; the listener stays usable
     * @throws IllegalStateException if the listener is closed
     */
    public Connection accept() {
        SocketChannel channel;
        try {
            channel = server.accept();
        } catch (ClosedChannelException e) {
            throw new IllegalStateException("listener is closed", e);
        } catch (IOException e) {
            throw new ProcessError("accept failed: " + e.getMessage(), e);
        }
        return authenticate(channel, authkey, true);
    }

    /** Stops listening; see the class description. Closing twice is allowed. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        close(server);
        if (socketFile != null) {
            try {
                Files.deleteIfExists(socketFile);
            } catch (IOException ignored) {
                // the file is gone or not ours to remove
            }
        }
    }

    @Override
    public String toString() {
        return "<Listener " + address + (closed ? " closed" : "") + ">";
    }

    /** Wraps a connected channel and runs the handshake; the channel is closed if it fails. */
    static Connection authenticate(SocketChannel channel, byte[] authkey, boolean asServer) {
        SocketTransport transport = null;
        try {
            transport = new SocketTransport(channel);
            if (asServer) {
                Handshake.asServer(transport, authkey);
            } else {
                Handshake.asClient(transport, authkey);
            }
            return new Connection(transport, true, true);
        } catch (AuthenticationError e) {
            closeQuietly(transport, channel);
            throw e;
        } catch (IOException e) {
            closeQuietly(transport, channel);
            throw new AuthenticationError("the peer went away during authentication: " + e.getMessage());
        }
    }

    private static void closeQuietly(SocketTransport transport, SocketChannel channel) {
        if (transport != null) {
            transport.close();
        } else {
            close(channel);
        }
    }

    private static void close(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // closing is all we wanted
        }
    }
}
