package org.multiprocessing4j.internal.wire;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.multiprocessing4j.AuthenticationError;

/**
 * Joins two ends of a pipe that are both used in the JVM that opened it: a socket bound for the moment
 * in the JVM's private runtime directory (mode 0700), one connection to it ({@link Dial}), authenticated
 * with the process tree's key like any other ({@link Handshake}), and the socket removed again.
 */
public final class PipeRendezvous {
    private PipeRendezvous() {
    }

    static Path socketFile(Path dir, String id) {
        return dir.resolve("p-" + id + ".sock");
    }

    /**
     * Both ends in this JVM: returns {left, right}, connected and authenticated (the right end's half of
     * the handshake runs on a short-lived thread, since each half waits for the other).
     */
    public static SocketTransport[] pairLocally(Path dir, String id, byte[] authkey) throws IOException {
        ServerSocketChannel server = bind(dir, id);
        try {
            Address address = Address.parse("unix:" + socketFile(dir, id));
            SocketTransport right;
            try {
                right = Dial.socket(address);
            } catch (Dial.Failed f) {
                throw f.rethrowCause();
            }
            CompletableFuture<Void> rightHalf = new CompletableFuture<>();
            Thread t = new Thread(() -> {
                try {
                    Dial.authenticate(right, address, authkey);
                    rightHalf.complete(null);
                } catch (Dial.Failed f) {
                    rightHalf.completeExceptionally(f.getCause());
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

    private static ServerSocketChannel bind(Path dir, String id) throws IOException {
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
