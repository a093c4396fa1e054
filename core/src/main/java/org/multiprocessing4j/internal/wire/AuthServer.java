package org.multiprocessing4j.internal.wire;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.multiprocessing4j.AuthenticationError;
import org.multiprocessing4j.ProcessError;

/**
 * The accepting side of authenticated connections, for the library's own servers (queues, pools,
 * managers): a bound server socket whose peers are authenticated by an {@link Acceptor} and handed to
 * {@code onPeer} as ready {@link SocketTransport}s. Peers that fail authentication are closed, and
 * reported only to a server that asks ({@code Listener} does). The connecting side is {@link Dial}.
 *
 * <p>A server {@linkplain #serve started to serve} gives each peer a daemon thread of its own, for one
 * session (so that a request that blocks holds up only its own client), and closes the peer when the
 * session returns.
 *
 * <p>{@link #close()} stops accepting, closes the handshakes in progress and removes a Unix socket's
 * file; the peers already handed over stay open, except the peers in session, which it closes (their
 * sessions then fail to read or write, and end).
 */
public final class AuthServer implements AutoCloseable {
    private final String address;
    private final Path socketFile;
    private final Acceptor acceptor;
    private final Sessions sessions; // null unless it serves

    private AuthServer(String address, Path socketFile, Acceptor acceptor, Sessions sessions) {
        this.address = address;
        this.socketFile = socketFile;
        this.acceptor = acceptor;
        this.sessions = sessions;
    }

    /**
     * Listens on {@code address} ({@code "host:port"} or {@code "unix:<path>"}) and starts accepting at
     * once on a daemon thread named {@code name}. {@code onPeer} runs on that thread: it must hand the
     * peer over, not serve it.
     *
     * @throws IllegalArgumentException if the address is malformed
     * @throws ProcessError if it cannot be bound (already in use, say)
     */
    public static AuthServer start(String address, byte[] authkey, String name, Consumer<SocketTransport> onPeer) {
        return start(address, authkey, name, onPeer, refused -> { }, null);
    }

    /**
     * {@link #start(String, byte[], String, Consumer)}, serving each peer: {@code session} runs on a
     * daemon thread named {@code sessionName}, one per peer, and the peer is closed when it returns.
     * A peer that arrives as the server closes is closed without a session.
     */
    public static AuthServer serve(String address, byte[] authkey, String name, String sessionName,
                                   Consumer<SocketTransport> session) {
        Sessions sessions = new Sessions(sessionName, session);
        return start(address, authkey, name, sessions::accepted, refused -> { }, sessions);
    }

    /**
     * {@link #start(String, byte[], String, Consumer)}, and {@code onRefused} gets each peer refused as
     * {@link Acceptor#start} says (on the acceptor's thread too).
     */
    public static AuthServer start(String address, byte[] authkey, String name, Consumer<SocketTransport> onPeer,
                                   Consumer<AuthenticationError> onRefused) {
        return start(address, authkey, name, onPeer, onRefused, null);
    }

    private static AuthServer start(String address, byte[] authkey, String name, Consumer<SocketTransport> onPeer,
                                    Consumer<AuthenticationError> onRefused, Sessions sessions) {
        Address a = Address.parse(address);
        ServerSocketChannel server;
        try {
            server = a.bind();
        } catch (IOException e) {
            throw new ProcessError("cannot listen on " + a.text() + ": " + e.getMessage(), e);
        }
        Path socketFile = a.isUnix() ? ((UnixDomainSocketAddress) a.socket()).getPath() : null;
        try {
            String bound = Address.describe(server.getLocalAddress());
            return new AuthServer(bound, socketFile, Acceptor.start(server, authkey, name, onPeer, onRefused), sessions);
        } catch (IOException | UncheckedIOException e) {
            try {
                server.close();
            } catch (IOException ignored) {
                // closing is all we wanted
            }
            removeQuietly(socketFile);
            throw new ProcessError("cannot listen on " + a.text() + ": " + e.getMessage(), e);
        }
    }

    /** The bound address, as {@link Dial#connect} takes it. */
    public String address() {
        return address;
    }

    /** Stops accepting; see the class description. Idempotent. */
    @Override
    public void close() {
        acceptor.close();
        removeQuietly(socketFile);
        if (sessions != null) {
            sessions.close();
        }
    }

    /** The peers in session, each on a daemon thread of its own. */
    private static final class Sessions {
        private final String threadName;
        private final Consumer<SocketTransport> session;
        private final Set<SocketTransport> peers = ConcurrentHashMap.newKeySet();
        private volatile boolean closed;

        Sessions(String threadName, Consumer<SocketTransport> session) {
            this.threadName = threadName;
            this.session = session;
        }

        /** On the acceptor's thread: the peer's session starts on a thread of its own. */
        void accepted(SocketTransport peer) {
            Thread t = new Thread(() -> run(peer), threadName);
            t.setDaemon(true);
            t.start();
        }

        private void run(SocketTransport peer) {
            peers.add(peer);
            try (peer) {
                if (!closed) { // else close() may have missed it: closed here
                    session.accept(peer);
                }
            } finally {
                peers.remove(peer);
            }
        }

        void close() {
            closed = true;
            peers.forEach(SocketTransport::close);
        }
    }

    private static void removeQuietly(Path socketFile) {
        if (socketFile != null) {
            try {
                Files.deleteIfExists(socketFile);
            } catch (IOException ignored) {
                // the file is gone or not ours to remove
            }
        }
    }
}
