package org.multiprocessing4j;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.multiprocessing4j.internal.runtime.RuntimeDir;
import org.multiprocessing4j.internal.wire.AuthServer;
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
 * <p>Clients are authenticated as they arrive, whether or not a thread waits in {@link #accept()}, and
 * each within a deadline ({@code -Dmultiprocessing4j.handshakeTimeoutMillis}, 5 s by default): a peer
 * that sends nothing, or sends slowly, is closed at its deadline and never holds up another client, nor
 * reaches {@code accept()}. Until a peer has proved the key it costs a socket and a few hundred bytes.
 *
 * <p>{@link #close()} stops listening, removes a Unix socket's file, closes the clients authenticated
 * but not yet accepted, and wakes a thread blocked in {@code accept()} with {@link IllegalStateException}.
 * Connections already accepted stay open.
 */
public final class Listener implements AutoCloseable {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    /** Refusals kept for {@code accept()} to throw, at most; more are not reported. */
    private static final int MAX_REFUSALS = 64;
    private static final Object CLOSED = new Object();

    private final String address;
    private final AuthServer server;
    /** What accept() takes, in arrival order: a SocketTransport, an AuthenticationError, or CLOSED. */
    private final LinkedBlockingQueue<Object> arrivals = new LinkedBlockingQueue<>();
    private final AtomicInteger refusals = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();

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
        byte[] key = authkey != null ? authkey : Process.authkey();
        this.server = AuthServer.start(address != null ? address : "unix:" + RuntimeDir.get()
                .resolve("listener-" + COUNTER.incrementAndGet() + ".sock"), key, "mp4j-listener", arrivals::add,
                this::refused);
        this.address = server.address();
    }

    /** The bound address, written as {@link Client#connect} takes it, e.g. {@code 127.0.0.1:40123}. */
    public String address() {
        return address;
    }

    /**
     * Waits for the next authenticated client and returns its connection.
     *
     * @throws AuthenticationError if the next client did not know the authkey; the listener stays usable
     * @throws IllegalStateException if the listener is closed
     * @throws ProcessError if the thread is interrupted (its cause is the {@link InterruptedException})
     */
    public Connection accept() {
        if (closed.get()) {
            throw new IllegalStateException("listener is closed");
        }
        Object next;
        try {
            next = arrivals.take();
        } catch (InterruptedException e) {
            throw ProcessError.interrupted("accept()", e);
        }
        if (next == CLOSED) {
            arrivals.add(CLOSED); // for the next thread that waits
            throw new IllegalStateException("listener is closed");
        }
        if (next instanceof AuthenticationError e) {
            refusals.decrementAndGet();
            throw new AuthenticationError(e.getMessage());
        }
        return new Connection((SocketTransport) next, true, true);
    }

    /** Stops listening; see the class description. Closing twice is allowed. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        server.close(); // no more arrivals after this; a Unix socket's file is removed
        for (Object o; (o = arrivals.poll()) != null; ) {
            if (o instanceof SocketTransport t) {
                t.close();
            }
        }
        arrivals.add(CLOSED);
    }

    @Override
    public String toString() {
        return "<Listener " + address + (closed.get() ? " closed" : "") + ">";
    }

    private void refused(AuthenticationError e) {
        if (refusals.incrementAndGet() <= MAX_REFUSALS) {
            arrivals.add(e);
        } else {
            refusals.decrementAndGet();
        }
    }
}
