package org.multiprocessing4j.internal.queue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.multiprocessing4j.EOFError;
import org.multiprocessing4j.ProcessError;
import org.multiprocessing4j.internal.launch.ProcessBridge;
import org.multiprocessing4j.internal.runtime.ExitActions;
import org.multiprocessing4j.internal.runtime.RuntimeDir;
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
    private final AtomicLong ids = new AtomicLong();
    private volatile boolean stopped;

    private QueueServer() {
        this.listener = AuthServer.serve("unix:" + RuntimeDir.get().resolve("queues-" + COUNTER.incrementAndGet()
                + ".sock"), ProcessBridge.authkey(), "mp4j-queue-server", "mp4j-queue-client", this::serve);
        this.address = listener.address();
    }

    /** This JVM's server, started on first use; a service of this JVM (see {@link Stop}). */
    public static synchronized QueueServer get() {
        if (instance == null) {
            instance = new QueueServer();
            ExitActions.jvm().service(Stop.INSTANCE);
        }
        return instance;
    }

    /** Whether this JVM's queue server listens at {@code address}. */
    static boolean servesHere(String address) {
        QueueServer s = instance;
        return s != null && s.address.equals(address);
    }

    /** Queue {@code id} if this JVM serves it at {@code address}, else null. */
    static ServedQueue local(String address, long id) {
        QueueServer s = instance;
        return s != null && s.address.equals(address) ? s.queues.get(id) : null;
    }

    /**
     * The server as a service of this JVM (see {@link ExitActions#service}): stopping it removes its
     * socket and forgets its queues; the next queue starts a new server.
     */
    private enum Stop implements Runnable {
        INSTANCE;

        @Override
        public void run() {
            synchronized (QueueServer.class) {
                QueueServer s = instance;
                if (s != null) {
                    s.stopped = true;
                    s.listener.close(); // and the connections it serves
                    QueueClient.forget(s.address());
                    instance = null;
                }
            }
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

    /** One connection's requests, until it ends, on a thread of its own; the listener closes it then. */
    private void serve(SocketTransport c) {
        try {
            while (!stopped) {
                byte[] request;
                try {
                    request = RawFrames.recv(c);
                } catch (EOFError | IllegalStateException gone) {
                    return;
                }
                if (request.length > 0 && request[0] == QueueProtocol.STREAM) {
                    ServedQueue q = queues.get(QueueProtocol.id(request));
                    if (q == null) {
                        RawFrames.send(c, noSuchQueue());
                        return;
                    }
                    RawFrames.send(c, QueueProtocol.reply(QueueProtocol.OK));
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
                SocketTransport.View f = transport.recvView(Integer.MAX_VALUE);
                if (f.kind() == FrameLayout.OBJECT) {
                    batch.add(Items.fromWire(f.tag(), f.bytes(), f.length()));
                } else {
                    q.putAll(batch); // a SYNC: everything before it goes in first
                    batch.clear();
                    byte[] ok = QueueProtocol.reply(QueueProtocol.OK);
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
        byte op = request[0];
        long timeout = QueueProtocol.timeoutNanos(request);
        ServedQueue q = queues.get(QueueProtocol.id(request));
        if (q == null) {
            return noSuchQueue();
        }
        try {
            switch (op) {
                case QueueProtocol.PUT: {
                    int at = QueueProtocol.REQUEST_HEADER;
                    byte[] body = java.util.Arrays.copyOfRange(request, at + 1, request.length);
                    Boolean added = q.put(Items.fromWire(request[at], body), timeout, c);
                    return added == null ? null : QueueProtocol.reply(added ? QueueProtocol.OK : QueueProtocol.TIMEOUT);
                }
                case QueueProtocol.GET: {
                    Object item = q.take(timeout, c);
                    if (item == null) {
                        return RawFrames.poll(c) ? null : QueueProtocol.reply(QueueProtocol.TIMEOUT);
                    }
                    org.multiprocessing4j.internal.codec.Codec.Encoded e = Items.toWire(item);
                    return QueueProtocol.item(e.tag(), e.body());
                }
                case QueueProtocol.SIZE:
                    return QueueProtocol.number(q.size());
                case QueueProtocol.TASK_DONE:
                    return q.markDone() ? QueueProtocol.reply(QueueProtocol.OK)
                            : QueueProtocol.misuse("taskDone() called too many times");
                case QueueProtocol.JOIN: {
                    Boolean done = q.join(timeout, c);
                    return done == null ? null : QueueProtocol.reply(done ? QueueProtocol.OK : QueueProtocol.TIMEOUT);
                }
                default:
                    return QueueProtocol.error("unknown request " + op);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static byte[] noSuchQueue() {
        return QueueProtocol.error("no such queue (the process that created it has stopped serving it)");
    }

}
