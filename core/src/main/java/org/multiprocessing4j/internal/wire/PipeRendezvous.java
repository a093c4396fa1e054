package org.multiprocessing4j.internal.wire;

import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.multiprocessing4j.AuthenticationError;

/**
 * How the two ends of a {@code Pipe} find each other in whatever JVMs they are first used in. A JVM
 * cannot hand a socket to another process, so an end travels as a name, and connects where it lands:
 *
 * <pre>
 *   &lt;dir&gt;/p-&lt;id&gt;.sock     the left end binds it, accepts one connection, then removes it
 *   &lt;dir&gt;/p-&lt;id&gt;.closed   left by an end closed before it was ever used: its peer sees end of stream
 * </pre>
 *
 * {@code dir} is the creating JVM's private runtime directory (mode 0700); every connection is
 * authenticated with the process tree's authkey before use, like any other ({@link Handshake}).
 *
 * <p>The right end connects, retrying with a growing pause (up to {@value #MAX_PAUSE_MILLIS} ms) until
 * the left end's JVM has bound the socket, so a receive or a send on one end waits until the other end
 * is first used somewhere. When both ends are still in the JVM that created them, the first use of either
 * connects both at once ({@link #pairLocally}), so one thread may use both.
 */
public final class PipeRendezvous {
    static final long MAX_PAUSE_MILLIS = 20;

    private PipeRendezvous() {
    }

    public static Path socketFile(Path dir, String id) {
        return dir.resolve("p-" + id + ".sock");
    }

    public static Path tombstone(Path dir, String id) {
        return dir.resolve("p-" + id + ".closed");
    }

    /** The left end: bind, accept the right end, authenticate. Blocks until the right end arrives. */
    public static SocketTransport listen(Path dir, String id, byte[] authkey) throws IOException {
        ServerSocketChannel server = bind(dir, id);
        try {
            return accept(server, authkey);
        } finally {
            unbind(server, dir, id);
        }
    }

    /** The right end: connect to the left end once it is bound, authenticate. */
    public static SocketTransport connect(Path dir, String id, byte[] authkey) throws IOException {
        Path file = socketFile(dir, id);
        Address address = Address.parse("unix:" + file);
        long pause = 1;
        while (true) {
            if (Files.exists(tombstone(dir, id))) {
                Files.deleteIfExists(tombstone(dir, id));
                throw new EOFException("the other end of the pipe was closed before it was used");
            }
            if (Files.exists(file)) {
                try {
                    SocketTransport t = new SocketTransport(address.connect());
                    Handshake.asClient(t, authkey);
                    return t;
                } catch (IOException refused) {
                    // bound but not yet listening, or gone again: look once more
                }
            }
            if (!Files.isDirectory(dir)) {
                throw new EOFException("the process that created the pipe is gone");
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for the other end of the pipe");
            }
            pause = Math.min(MAX_PAUSE_MILLIS, pause * 2);
        }
    }

    /**
     * Both ends in this JVM: returns {left, right}, connected and authenticated (the right end's half of
     * the handshake runs on a short-lived thread, since each half waits for the other).
     */
    public static SocketTransport[] pairLocally(Path dir, String id, byte[] authkey) throws IOException {
        ServerSocketChannel server = bind(dir, id);
        try {
            SocketTransport right = new SocketTransport(Address.parse("unix:" + socketFile(dir, id)).connect());
            CompletableFuture<Void> rightHalf = new CompletableFuture<>();
            Thread t = new Thread(() -> {
                try {
                    Handshake.asClient(right, authkey);
                    rightHalf.complete(null);
                } catch (Throwable e) {
                    rightHalf.completeExceptionally(e);
                }
            }, "mp4j-pipe-handshake");
            t.setDaemon(true);
            t.start();
            SocketTransport left = accept(server, authkey);
            try {
                rightHalf.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while connecting a pipe");
            } catch (ExecutionException e) {
                left.close();
                right.close();
                throw new IOException("cannot connect the pipe: " + e.getCause(), e.getCause());
            }
            return new SocketTransport[] {left, right};
        } finally {
            unbind(server, dir, id);
        }
    }

    /** An end closed before its first use leaves a tombstone so that its peer does not wait for ever. */
    public static void leaveTombstone(Path dir, String id) {
        try {
            if (Files.isDirectory(dir)) {
                Files.createFile(tombstone(dir, id));
            }
        } catch (IOException ignored) {
            // already there, or the directory is gone with its creator: the peer finds out either way
        }
    }

    /** Removes what a pipe whose ends were both closed unused left behind. */
    public static void forget(Path dir, String id) {
        try {
            Files.deleteIfExists(tombstone(dir, id));
        } catch (IOException ignored) {
            // the directory is gone
        }
    }

    private static ServerSocketChannel bind(Path dir, String id) throws IOException {
        if (Files.exists(tombstone(dir, id))) {
            Files.deleteIfExists(tombstone(dir, id));
            throw new EOFException("the other end of the pipe was closed before it was used");
        }
        return Address.parse("unix:" + socketFile(dir, id)).bind();
    }

    private static SocketTransport accept(ServerSocketChannel server, byte[] authkey) throws IOException {
        while (true) {
            SocketTransport t = new SocketTransport(server.accept());
            try {
                Handshake.asServer(t, authkey);
                return t;
            } catch (IOException | AuthenticationError e) {
                t.close(); // not our peer: wait for the real one
            }
        }
    }

    private static void unbind(ServerSocketChannel server, Path dir, String id) {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing is all we wanted
        }
        try {
            Files.deleteIfExists(socketFile(dir, id));
        } catch (IOException ignored) {
            // the directory is gone
        }
    }
}
