package org.multiprocessing4j.internal.queue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicInteger;
import org.multiprocessing4j.EOFError;
import org.multiprocessing4j.ProcessError;
import org.multiprocessing4j.internal.launch.ProcessBridge;
import org.multiprocessing4j.internal.launch.RuntimeDir;
import org.multiprocessing4j.internal.wire.AuthServer;
import org.multiprocessing4j.internal.wire.FrameLayout;
import org.multiprocessing4j.internal.wire.RawFrames;
import org.multiprocessing4j.internal.wire.SocketTransport;

/**
 * Serves the queues a JVM created to every process that holds one of their handles: the JVM's
 * equivalent of the pipe buffer that Python's {@code Queue} shares between processes. One per JVM,
 * started with the first queue: an {@link AuthServer} on a socket in the private runtime directory,
 * authenticated with the process tree's authkey, and a daemon thread per connection.
 *
 * <p>Handles in this JVM use the {@link ServedQueue} directly. Other processes send requests (see
 * {@link QueueProtocol}), one round trip each, or stream their puts to an unbounded queue; a streamed
 * batch is added under one lock. Items are never deserialized here (see {@link Items}).
 */
public final class QueueServer {
    private static final int MAX_BATCH = 4096;
    private static final int STREAM_BUFFER = 1 << 20;
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static volatile QueueServer instance; // written under QueueServer.class

    private final AuthServer listener;
    private final String address;
    private final Map<Long, ServedQueue> queues = new ConcurrentHashMap<>();
    private final Set<SocketTransport> clients = ConcurrentHashMap.newKeySet();
    private final AtomicLong ids = new AtomicLong();
    private volatile boolean stopped;

    private QueueServer() {
        this.listener = AuthServer.start("unix:" + RuntimeDir.get().resolve("queues-" + COUNTER.incrementAndGet()
                + ".sock"), ProcessBridge.authkey(), "mp4j-queue-server", this::accepted);
        this.address = listener.address();
    }

    /** This JVM's server, started on first use. */
    public static synchronized QueueServer get() {
        if (instance == null) {
            instance = new QueueServer();
        }
        return instance;
    }

    /** Queue {@code id} if this JVM serves it at {@code address}, else null. */
    static ServedQueue local(String address, long id) {
        QueueServer s = instance;
        return s != null && s.address.equals(address) ? s.queues.get(id) : null;
    }

    /**
     * Stops this JVM's server, if any: its socket is removed and its queues are gone; and closes this
     * JVM's feeders and connections to other servers. For tests, which must tell a leaked socket from
     * the one the library keeps for the JVM's life.
     */
    public static synchronized void stop() {
        Feeder.closeAll();
        if (instance != null) {
            instance.stopped = true;
            instance.listener.close();
            instance.clients.forEach(SocketTransport::close);
            QueueClient.forget(instance.address());
            instance = null;
        }
    }

    /** Creates a queue; {@code maxsize} 0 or less is unbounded. Returns its id. */
    public long create(int maxsize, boolean joinable) {
        long id = ids.incrementAndGet();
        queues.put(id, new ServedQueue(maxsize, joinable));
        return id;
    }

    public String address() {
        return address;
    }

    /** On the acceptor's thread: each authenticated client gets a daemon thread of its own. */
    private void accepted(SocketTransport c) {
        Thread t = new Thread(() -> serve(c), "mp4j-queue-client");
        t.setDaemon(true);
        t.start();
    }

    private void serve(SocketTransport c) {
        clients.add(c);
        try (c) {
            while (!stopped) {
                byte[] request;
                try {
                    request = RawFrames.recv(c);
                } catch (EOFError | IllegalStateException gone) {
                    return;
                }
                if (request.length > 0 && request[0] == QueueProtocol.STREAM) {
                    ServedQueue q = queues.get(ByteBuffer.wrap(request, 1, 8).getLong());
                    if (q == null) {
                        RawFrames.send(c, noSuchQueue());
                        return;
                    }
                    RawFrames.send(c, status(QueueProtocol.OK));
                    c.growReceiveBuffer(STREAM_BUFFER);
                    c.parkWithoutSpinning(); // a stream's next frames can wait for a wake-up
                    stream(c, q);
                    return;
                }
                byte[] reply = handle(c, request);
                if (reply == null) {
                    return; // the client went away while its request waited
                }
                RawFrames.send(c, reply);
            }
        } catch (ProcessError | IllegalStateException gone) {
            // the client died in the middle of a reply, or the server stopped; nothing else depends on it
        } finally {
            clients.remove(c);
        }
    }

    /**
     * Adds the items a producer streams, in order, a batch at a time: the frames already buffered are
     * added under one lock. Returns when the producer's connection ends; a frame cut short by its
     * death is dropped.
     */
    private void stream(SocketTransport transport, ServedQueue q) {
        List<Object> batch = new ArrayList<>();
        try {
            while (!stopped) {
                SocketTransport.Frame f = transport.recv(Integer.MAX_VALUE);
                if (f.kind() == FrameLayout.OBJECT) {
                    batch.add(Items.fromWire(f.tag(), f.payload()));
                } else {
                    q.putAll(batch); // a SYNC: everything before it goes in first
                    batch.clear();
                    byte[] ok = status(QueueProtocol.OK);
                    transport.send(FrameLayout.RAW, ok, 0, ok.length);
                }
                if (batch.size() >= MAX_BATCH || (!batch.isEmpty() && !transport.hasBufferedFrame())) {
                    q.putAll(batch);
                    batch.clear();
                }
            }
        } catch (IOException endOrCutShort) {
            if (!batch.isEmpty()) {
                q.putAll(batch);
            }
        }
    }

    private byte[] handle(SocketTransport c, byte[] request) {
        ByteBuffer b = ByteBuffer.wrap(request);
        byte op = b.get();
        long id = b.getLong();
        long timeout = b.getLong();
        ServedQueue q = queues.get(id);
        if (q == null) {
            return noSuchQueue();
        }
        try {
            switch (op) {
                case QueueProtocol.PUT: {
                    int at = QueueProtocol.REQUEST_HEADER;
                    byte[] body = java.util.Arrays.copyOfRange(request, at + 1, request.length);
                    Boolean added = q.put(Items.fromWire(request[at], body), timeout, c);
                    return added == null ? null : status(added ? QueueProtocol.OK : QueueProtocol.TIMEOUT);
                }
                case QueueProtocol.GET: {
                    Object item = q.take(timeout, c);
                    if (item == null) {
                        return RawFrames.poll(c) ? null : status(QueueProtocol.TIMEOUT);
                    }
                    org.multiprocessing4j.internal.codec.Codec.Encoded e = Items.toWire(item);
                    byte[] reply = new byte[2 + e.body().length];
                    reply[0] = QueueProtocol.OK;
                    reply[1] = e.tag();
                    System.arraycopy(e.body(), 0, reply, 2, e.body().length);
                    return reply;
                }
                case QueueProtocol.SIZE:
                    return ByteBuffer.allocate(9).put(QueueProtocol.OK).putLong(q.size()).array();
                case QueueProtocol.TASK_DONE:
                    return q.markDone() ? status(QueueProtocol.OK)
                            : error(QueueProtocol.MISUSE, "taskDone() called too many times");
                case QueueProtocol.JOIN: {
                    Boolean done = q.join(timeout, c);
                    return done == null ? null : status(done ? QueueProtocol.OK : QueueProtocol.TIMEOUT);
                }
                default:
                    return error("unknown request " + op);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static byte[] noSuchQueue() {
        return error("no such queue (the process that created it has stopped serving it)");
    }

    private static byte[] status(byte s) {
        return new byte[] {s};
    }

    private static byte[] error(String message) {
        return error(QueueProtocol.ERROR, message);
    }

    private static byte[] error(byte status, String message) {
        byte[] m = message.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[1 + m.length];
        out[0] = status;
        System.arraycopy(m, 0, out, 1, m.length);
        return out;
    }
}
