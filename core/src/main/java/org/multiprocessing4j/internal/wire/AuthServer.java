package org.multiprocessing4j.internal.wire;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.multiprocessing4j.AuthenticationError;
import org.multiprocessing4j.ProcessError;

/**
 * The accepting side of authenticated connections, for the library's own servers (queues, pools,
 * managers): a bound server socket whose peers are authenticated by an {@link Acceptor} and handed to
 * {@code onPeer} as ready {@link SocketTransport}s. Peers that fail authentication are closed, and
 * reported only to a server that asks ({@code Listener} does). The connecting side is {@link Dial}.
 *
 * <p>{@link #close()} stops accepting, closes the handshakes in progress and removes a Unix socket's
 * file; the peers already handed over stay open.
 */
public final class AuthServer implements AutoCloseable {
    private final String address;
    private final Path socketFile;
    private final Acceptor acceptor;

    private AuthServer(String address, Path socketFile, Acceptor acceptor) {
        this.address = address;
        this.socketFile = socketFile;
        this.acceptor = acceptor;
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
        return start(address, authkey, name, onPeer, refused -> { });
    }

    /**
     * {@link #start(String, byte[], String, Consumer)}, and {@code onRefused} gets each peer refused as
     * {@link Acceptor#start} says (on the acceptor's thread too).
     */
    public static AuthServer start(String address, byte[] authkey, String name, Consumer<SocketTransport> onPeer,
                                   Consumer<AuthenticationError> onRefused) {
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
            return new AuthServer(bound, socketFile, Acceptor.start(server, authkey, name, onPeer, onRefused));
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
