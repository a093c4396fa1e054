package org.multiprocessing4j.internal.sync;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.multiprocessing4j.internal.launch.RuntimeDir;

/**
 * This JVM's doorbell: how another process wakes the threads of this one that wait on a shared lock,
 * semaphore, event, condition or barrier. It is a Unix socket ({@code bell} in the runtime directory,
 * mode 0700); a waker connects (once; the connection is kept) and writes a byte. Every ring, and every
 * local wake, advances a generation and wakes all waiting threads of this JVM, which then look at
 * their object again: a ring carries no data, so nothing is deserialized and a stray ring costs only a
 * look.
 *
 * <p>No thread of its own serves the socket: one of the waiting threads, the leader, waits in the
 * socket's selector itself, and the others wait on a monitor (leader/followers). A ring thus wakes the
 * thread that waits, not a server thread that would then have to wake it. When the leader leaves, it
 * wakes the followers so that one of them leads. While no thread waits, rings stay in the socket.
 *
 * <p>Waiting threads take the generation before they look at their object, so a ring that comes
 * between the look and the wait is not lost.
 */
public final class Doorbell {
    private static final Object MONITOR = new Object();
    private static long generation; // guarded by MONITOR
    private static boolean leading; // a thread waits in the selector; guarded by MONITOR
    private static final Map<String, SocketChannel> PEERS = new ConcurrentHashMap<>();
    private static volatile Server server; // written under Doorbell.class

    private Doorbell() {
    }

    /** The generation now; pass it to {@link #awaitChange}. */
    static long generation() {
        synchronized (MONITOR) {
            return generation;
        }
    }

    /** Wakes every thread of this JVM that waits for a change of generation. */
    static void wakeLocal() {
        boolean wakeLeader;
        synchronized (MONITOR) {
            generation++;
            MONITOR.notifyAll();
            wakeLeader = leading;
        }
        Server s = server;
        if (wakeLeader && s != null) {
            s.selector.wakeup();
        }
    }

    /**
     * Waits until the generation is no longer {@code seen}, or {@code nanos} pass: in the selector if no
     * other thread does, else on the monitor.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    static void awaitChange(long seen, long nanos) throws InterruptedException {
        long deadline = System.nanoTime() + nanos;
        while (true) {
            Server s;
            long left;
            synchronized (MONITOR) {
                if (generation != seen) {
                    return;
                }
                left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                s = server;
                if (s == null || leading) {
                    TimeUnit.NANOSECONDS.timedWait(MONITOR, left);
                    continue;
                }
                leading = true;
            }
            try {
                s.select(left);
            } finally {
                synchronized (MONITOR) {
                    leading = false;
                    MONITOR.notifyAll(); // a follower leads now
                }
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }

    /** The path of this JVM's doorbell, opened on first call; null if it cannot be opened. */
    static synchronized String path() {
        if (server == null) {
            try {
                server = new Server(RuntimeDir.get().resolve("bell"));
            } catch (IOException | RuntimeException e) {
                return null;
            }
        }
        return server.path;
    }

    /**
     * Rings the doorbell at {@code path}.
     *
     * @return false if nobody answers there (the process is gone)
     */
    static boolean ring(String path) {
        for (int attempt = 0; attempt < 2; attempt++) {
            SocketChannel ch = PEERS.get(path);
            try {
                if (ch == null) {
                    ch = SocketChannel.open(StandardProtocolFamily.UNIX);
                    ch.connect(UnixDomainSocketAddress.of(path));
                    ch.configureBlocking(false);
                    SocketChannel raced = PEERS.putIfAbsent(path, ch);
                    if (raced != null) {
                        ch.close();
                        ch = raced;
                    }
                }
                ch.write(ByteBuffer.wrap(new byte[] {1})); // 0 written: the peer has unread rings; as good
                return true;
            } catch (IOException e) {
                if (ch != null) {
                    PEERS.remove(path, ch);
                    try {
                        ch.close();
                    } catch (IOException ignored) {
                        // already broken
                    }
                }
                // a kept connection may be to a doorbell since restarted: try once more, afresh
            }
        }
        return false;
    }

    /**
     * Stops the doorbell and forgets kept connections; the next waiter starts it again. For leak
     * checks between tests: threads that wait now fall back to their periodic look.
     */
    public static synchronized void stop() {
        if (server != null) {
            server.close();
            server = null;
        }
        for (SocketChannel ch : PEERS.values()) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // closing
            }
        }
        PEERS.clear();
    }

    static byte[] encode(String path) {
        return path.getBytes(StandardCharsets.UTF_8);
    }

    /** The socket and its selector, used by the leading waiter. */
    private static final class Server {
        final String path;
        final Path file;
        final ServerSocketChannel channel;
        final Selector selector;
        private final ByteBuffer sink = ByteBuffer.allocate(256); // used by the leader only

        Server(Path file) throws IOException {
            this.file = file;
            this.path = file.toString();
            Files.deleteIfExists(file);
            channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            channel.bind(UnixDomainSocketAddress.of(file));
            channel.configureBlocking(false);
            selector = Selector.open();
            channel.register(selector, SelectionKey.OP_ACCEPT);
        }

        /** Waits up to {@code nanos} in the selector; takes in new wakers; a ring wakes this JVM's waiters. */
        void select(long nanos) {
            boolean rang = false;
            try {
                selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanos + 999_999)));
                for (SelectionKey key : selector.selectedKeys()) {
                    if (!key.isValid()) {
                        continue;
                    }
                    if (key.isAcceptable()) {
                        SocketChannel peer = channel.accept();
                        if (peer != null) {
                            peer.configureBlocking(false);
                            peer.register(selector, SelectionKey.OP_READ);
                        }
                    } else if (key.isReadable()) {
                        rang |= drain(key);
                    }
                }
                selector.selectedKeys().clear();
            } catch (IOException | ClosedSelectorException e) {
                // stopped, or a broken peer: the waiter looks again
            }
            if (rang) {
                wakeLocal();
            }
        }

        private boolean drain(SelectionKey key) throws IOException {
            SocketChannel peer = (SocketChannel) key.channel();
            boolean rang = false;
            int n;
            try {
                sink.clear();
                while ((n = peer.read(sink)) > 0) {
                    rang = true;
                    sink.clear();
                }
            } catch (IOException broken) {
                n = -1;
            }
            if (n < 0) {
                key.cancel();
                peer.close();
            }
            return rang;
        }

        void close() {
            try {
                for (SelectionKey key : selector.keys()) {
                    key.channel().close();
                }
                selector.close();
            } catch (IOException | ClosedSelectorException ignored) {
                // closing
            }
            try {
                channel.close();
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // best effort
            }
        }
    }
}
