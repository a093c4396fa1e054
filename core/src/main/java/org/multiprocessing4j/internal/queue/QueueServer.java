package org.multiprocessing4j.internal.queue;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.multiprocessing4j.EOFError;
import org.multiprocessing4j.ProcessError;
import org.multiprocessing4j.internal.codec.Codec;
import org.multiprocessing4j.internal.codec.MessageReader;
import org.multiprocessing4j.internal.launch.ProcessBridge;
import org.multiprocessing4j.internal.runtime.ExitActions;
import org.multiprocessing4j.internal.runtime.RuntimeDir;
import org.multiprocessing4j.internal.wire.AuthServer;
import org.multiprocessing4j.internal.wire.FrameLayout;
import org.multiprocessing4j.internal.wire.MessageLimit;
import org.multiprocessing4j.internal.wire.RawFrames;
import org.multiprocessing4j.internal.wire.SocketTransport;

/**
 * Serves the queues a JVM created to every process that holds one of their handles: the JVM's
 * equivalent of the pipe buffer that Python's {@code Queue} shares between processes. One per JVM,
 * started with the first queue: an {@link AuthServer} on a socket in the private runtime directory,
 * authenticated with the process tree's authkey, and a daemon thread per connection.
 *
 * <p>Handles in this JVM use the {@link ServedQueue} directly. Other processes stream their puts (a
 * streamed batch is added under one lock), take through connections of their own, and send other
 * requests one round trip each (see {@link QueueProtocol}). Items are never deserialized here (see
 * {@link Items}).
 */
public final class QueueServer {
    private static final int MAX_BATCH = 4096;
    private static final int STREAM_BUFFER = 1 << 20;
    /** The most items one TAKE is answered with, and the bytes after which it stops adding more. */
    static final int LEND_MAX = 64;
    static final long LEND_BYTES = 1 << 20;
    /**
     * A consumer that comes back for more within this time per item of its last reply is handed twice as
     * many items (up to {@link #LEND_MAX}); one that comes back later gets one at a time again.
     */
    static final long FAST_ITEM_NANOS = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(1);
    /** {@link #FAST_ITEM_NANOS}, which a test may raise so that its consumer is always fast. */
    static volatile long fastItemNanos = FAST_ITEM_NANOS;
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
                byte[] request = nextRequest(c);
                if (request == null) {
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
                if (request.length > 0 && request[0] == QueueProtocol.TAKES) {
                    ServedQueue q = queues.get(QueueProtocol.id(request));
                    RawFrames.send(c, q == null ? noSuchQueue() : QueueProtocol.reply(QueueProtocol.OK));
                    if (q != null) {
                        takes(c, q);
                    }
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

    /** The next request on {@code c}, or null once the client has gone or the server closed it. */
    private static byte[] nextRequest(SocketTransport c) {
        try {
            return RawFrames.recv(c);
        } catch (EOFError | IllegalStateException gone) {
            return null;
        }
    }

    /**
     * Adds the items a producer streams, in order, a batch at a time: the frames already buffered are
     * added under one lock. To a bounded queue, only into the room it reserved for this stream (see
     * {@link QueueProtocol#ROOM}); the room left unused is freed when the stream ends. Returns when the
     * producer's connection ends; a frame cut short by its death is dropped.
     */
    private void stream(SocketTransport transport, ServedQueue q) {
        List<Object> batch = new ArrayList<>();
        long room = 0; // reserved for this stream and not used yet
        try {
            while (!stopped) {
                SocketTransport.View f = transport.recvView(Integer.MAX_VALUE);
                if (f.kind() == FrameLayout.OBJECT) {
                    if (q.bounded()) {
                        if (room == 0) {
                            return; // an item beyond its room: a client that breaks the protocol
                        }
                        room--;
                    }
                    batch.add(Items.fromWire(f.tag(), f.bytes(), f.length()));
                } else {
                    q.putAll(batch); // a request: everything before it goes in first
                    batch.clear();
                    byte[] reply;
                    if (f.length() >= QueueProtocol.REQUEST_HEADER && f.bytes()[0] == QueueProtocol.ROOM) {
                        long n = q.reserve(MessageReader.longAt(f.bytes(), QueueProtocol.TIMEOUT_OFFSET), transport);
                        if (n < 0) {
                            return; // the client went away while it waited
                        }
                        room += n;
                        reply = n > 0 ? QueueProtocol.number(n) : QueueProtocol.reply(QueueProtocol.TIMEOUT);
                    } else if (f.length() >= 1 && f.bytes()[0] == QueueProtocol.SYNC) {
                        reply = QueueProtocol.reply(QueueProtocol.OK);
                    } else {
                        return; // no request of a stream
                    }
                    transport.send(FrameLayout.RAW, reply, 0, reply.length);
                }
                if (batch.size() >= MAX_BATCH || (!batch.isEmpty() && !transport.hasBufferedFrame())) {
                    q.putAll(batch);
                    batch.clear();
                }
            }
        } catch (IOException | ProcessError | IllegalStateException endOrCutShort) {
            // the producer has gone, maybe in the middle of a frame, or the server stopped
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            q.putAll(batch);
            q.release(room);
        }
    }

    /**
     * One JVM's gets from {@code q} (see {@link QueueProtocol#TAKES}), until its connection ends; then
     * the items lent to it and not acknowledged go back to the head of the queue. A reply that could not
     * be sent gives its every item back, the taken one too: the consumer never had it.
     *
     * <p>How many items a reply may carry adapts to the consumer: one at first, twice as many each time
     * it handed out all of its last reply within {@link #FAST_ITEM_NANOS} an item, one again when it
     * did not. So a consumer that takes its time with each item holds no more than the one it works on,
     * as in Python, and a fast one is not held back by a round trip per item. A fast consumer that
     * stalls holds what it was lent (at most {@link #LEND_MAX} - 1 items) until it goes on or ends.
     */
    private void takes(SocketTransport c, ServedQueue q) {
        ArrayDeque<Object> lent = new ArrayDeque<>();
        int allowance = 1;
        int lastCount = 0;
        long lastReply = 0;
        // beyond a first item as large as a message may be, the others stay well within a frame
        long maxBytes = Math.min(LEND_BYTES, MessageLimit.bytes() / 2);
        try {
            while (!stopped) {
                byte[] request = nextRequest(c);
                if (request == null) {
                    return;
                }
                if (request.length == 1 && request[0] == QueueProtocol.ACK && !lent.isEmpty()) {
                    lent.pollFirst();
                    q.acknowledge(1);
                    continue;
                }
                if (request.length == 1 && request[0] == QueueProtocol.DONE) {
                    q.markDone(); // false only if another process marked this one's items done: dropped
                    continue;
                }
                if (request.length == 1 && request[0] == QueueProtocol.SYNC) {
                    RawFrames.send(c, QueueProtocol.reply(QueueProtocol.OK));
                    continue;
                }
                if (request.length < QueueProtocol.REQUEST_HEADER || request[0] != QueueProtocol.TAKE
                        || !lent.isEmpty()) {
                    RawFrames.send(c, QueueProtocol.error("a request out of turn on a connection of gets"));
                    return;
                }
                boolean fast = lastCount > 0 && System.nanoTime() - lastReply < lastCount * fastItemNanos;
                allowance = fast ? Math.min(LEND_MAX, 2 * allowance) : 1;
                List<Object> batch = q.lend(QueueProtocol.timeoutNanos(request), c, allowance, maxBytes);
                if (batch.isEmpty()) {
                    if (RawFrames.poll(c)) {
                        return; // the client went away while it waited
                    }
                    RawFrames.send(c, QueueProtocol.reply(QueueProtocol.TIMEOUT));
                    continue;
                }
                List<Codec.Encoded> encoded = new ArrayList<>(batch.size());
                for (Object item : batch) {
                    encoded.add(Items.toWire(item));
                }
                try {
                    c.sendFrames(QueueProtocol.items(encoded)); // a frame may exceed a message by its header
                } catch (IOException | RuntimeException notSent) {
                    q.giveBack(batch, 1);
                    return;
                }
                lastReply = System.nanoTime();
                lastCount = batch.size();
                lent.addAll(batch.subList(1, batch.size()));
            }
        } catch (ProcessError | IllegalStateException gone) {
            // the client died in the middle of a reply, or the server stopped
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            q.giveBack(new ArrayList<>(lent), 0);
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
