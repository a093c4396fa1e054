package org.multiprocessing4j.internal.wire;

import java.io.IOException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.function.Consumer;
import org.multiprocessing4j.AuthenticationError;

/** Placeholder until the acceptor with handshake deadlines lands: accepts and authenticates each peer on a thread of its own. */
public final class Acceptor implements AutoCloseable {
    private final ServerSocketChannel server;

    private Acceptor(ServerSocketChannel server) {
        this.server = server;
    }

    public static Acceptor start(ServerSocketChannel server, byte[] authkey, String name,
                                 Consumer<SocketTransport> onPeer, Consumer<AuthenticationError> onRefused) {
        Acceptor a = new Acceptor(server);
        Thread t = new Thread(() -> {
            while (true) {
                SocketChannel c;
                try {
                    c = server.accept();
                } catch (IOException closed) {
                    return;
                }
                Thread h = new Thread(() -> {
                    SocketTransport st = null;
                    try {
                        st = new SocketTransport(c);
                        Handshake.asServer(st, authkey);
                        onPeer.accept(st);
                    } catch (AuthenticationError e) {
                        st.close();
                        onRefused.accept(e);
                    } catch (IOException e) {
                        if (st != null) {
                            st.close();
                        }
                    }
                }, name + "-handshake");
                h.setDaemon(true);
                h.start();
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return a;
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing is all we wanted
        }
    }
}
