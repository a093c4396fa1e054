package org.multiprocessing4j.internal.queue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.multiprocessing4j.Connection;
import org.multiprocessing4j.EOFError;
import org.multiprocessing4j.Listener;
import org.multiprocessing4j.ProcessError;

/**
 * Serves the queues a JVM created to every process that holds one of their handles: the JVM's
 * equivalent of the pipe buffer that Python's {@code Queue} shares between processes. One per JVM,
 * started with the first queue: a {@link Listener} on a socket in the private runtime directory,
 * authenticated with the process tree's authkey, and a daemon thread per connection.
 *
 * <p>Items are kept encoded and never deserialized here. A put or a get is one round trip (see
 * {@link QueueProtocol}), so an item is in the queue when {@code put} returns: a process that puts and
 * exits loses nothing, and no feeder thread has to be joined. A request that waits (a get on an empty
 * queue, a put on a full one) gives up without taking or adding anything if its client goes away
 * meanwhile, so a consumer killed while it waits takes no item with it.
 */
public final class QueueServer {
    private static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static QueueServer instance; // guarded by QueueServer.class

    private final Listener listener;
    private final Map<Long, Served> queues = new ConcurrentHashMap<>();
    private final java.util.Set<Connection> clients = ConcurrentHashMap.newKeySet();
    private final AtomicLong ids = new AtomicLong();
    private volatile boolean stopped;

    private QueueServer() {
        this.listener = new Listener();
        Thread acceptor = new Thread(this::acceptLoop, "mp4j-queue-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** This JVM's server, started on first use. */
    public static synchronized QueueServer get() {
        if (instance == null) {
            instance = new QueueServer();
        }
        return instance;
    }

    /**
     * Stops this JVM's server, if any: its socket is removed and its queues are gone. For tests, which
     * must tell a leaked socket from the one the library keeps for the JVM's life.
     */
    public static synchronized void stop() {
        if (instance != null) {
            instance.stopped = true;
            instance.listener.close();
            instance.clients.forEach(Connection::close);
            QueueClient.forget(instance.address());
            instance = null;
        }
    }

    /** Creates a queue; {@code maxsize} 0 or less is unbounded. Returns its id. */
    public long create(int maxsize, boolean joinable) {
        long id = ids.incrementAndGet();
        queues.put(id, new Served(maxsize, joinable));
        return id;
    }

    public String address() {
        return listener.address();
    }

    private void acceptLoop() {
        while (!stopped) {
            Connection c;
            try {
                c = listener.accept();
            } catch (IllegalStateException closed) {
                return;
            } catch (ProcessError notOurs) {
                continue; // failed authentication: not one of ours
            }
            Thread t = new Thread(() -> serve(c), "mp4j-queue-client");
            t.setDaemon(true);
            t.start();
        }
    }

    private void serve(Connection c) {
        clients.add(c);
        try (c) {
            while (!stopped) {
                byte[] request;
                try {
                    request = c.recvBytes();
                } catch (EOFError | IllegalStateException gone) {
                    return;
                }
                byte[] reply = handle(c, request);
                if (reply == null) {
                    return; // the client went away while its request waited
                }
                c.sendBytes(reply);
            }
        } catch (ProcessError | IllegalStateException gone) {
            // the client died in the middle of a reply, or the server stopped; nothing else depends on it
        } finally {
            clients.remove(c);
        }
    }

    private byte[] handle(Connection c, byte[] request) {
        ByteBuffer b = ByteBuffer.wrap(request);
        byte op = b.get();
        long id = b.getLong();
        long timeout = b.getLong();
        Served q = queues.get(id);
        if (q == null) {
            return error("no such queue (the process that created it has stopped serving it)");
        }
        try {
            switch (op) {
                case QueueProtocol.PUT: {
                    byte[] item = Arrays.copyOfRange(request, QueueProtocol.REQUEST_HEADER, request.length);
                    Boolean added = q.put(item, timeout, c);
                    return added == null ? null : status(added ? QueueProtocol.OK : QueueProtocol.TIMEOUT);
                }
                case QueueProtocol.GET: {
                    byte[] item = q.take(timeout, c);
                    if (item == null) {
                        return c.poll() ? null : status(QueueProtocol.TIMEOUT);
                    }
                    byte[] reply = new byte[1 + item.length];
                    reply[0] = QueueProtocol.OK;
                    System.arraycopy(item, 0, reply, 1, item.length);
                    return reply;
                }
                case QueueProtocol.SIZE:
                    return ByteBuffer.allocate(9).put(QueueProtocol.OK).putLong(q.size()).array();
                case QueueProtocol.TASK_DONE:
                    return q.taskDone() ? status(QueueProtocol.OK) : error("taskDone() called too many times");
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

    private static byte[] status(byte s) {
        return new byte[] {s};
    }

    private static byte[] error(String message) {
        byte[] m = message.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[1 + m.length];
        out[0] = QueueProtocol.ERROR;
        System.arraycopy(m, 0, out, 1, m.length);
        return out;
    }

    /** One queue: its items, its bound, and for a joinable queue the count of unfinished tasks. */
    private static final class Served {
        private final int maxsize;
        private final boolean joinable;
        private final ArrayDeque<byte[]> items = new ArrayDeque<>();
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition notEmpty = lock.newCondition();
        private final Condition notFull = lock.newCondition();
        private final Condition allDone = lock.newCondition();
        private long unfinished; // guarded by lock

        Served(int maxsize, boolean joinable) {
            this.maxsize = maxsize;
            this.joinable = joinable;
        }

        /** True if added, false on timeout, null if the client went away while waiting. */
        Boolean put(byte[] item, long timeoutNanos, Connection client) throws InterruptedException {
            lock.lock();
            try {
                long deadline = deadline(timeoutNanos);
                while (maxsize > 0 && items.size() >= maxsize) {
                    Boolean waited = await(notFull, deadline, client);
                    if (waited == null || !waited) {
                        return waited;
                    }
                }
                items.addLast(item);
                if (joinable) {
                    unfinished++;
                }
                notEmpty.signal();
                return true;
            } finally {
                lock.unlock();
            }
        }

        /** The oldest item, or null on timeout or when the client went away while waiting. */
        byte[] take(long timeoutNanos, Connection client) throws InterruptedException {
            lock.lock();
            try {
                long deadline = deadline(timeoutNanos);
                while (items.isEmpty()) {
                    Boolean waited = await(notEmpty, deadline, client);
                    if (waited == null || !waited) {
                        return null;
                    }
                }
                byte[] item = items.pollFirst();
                notFull.signal();
                return item;
            } finally {
                lock.unlock();
            }
        }

        long size() {
            lock.lock();
            try {
                return items.size();
            } finally {
                lock.unlock();
            }
        }

        boolean taskDone() {
            lock.lock();
            try {
                if (unfinished <= 0) {
                    return false;
                }
                if (--unfinished == 0) {
                    allDone.signalAll();
                }
                return true;
            } finally {
                lock.unlock();
            }
        }

        Boolean join(long timeoutNanos, Connection client) throws InterruptedException {
            lock.lock();
            try {
                long deadline = deadline(timeoutNanos);
                while (unfinished > 0) {
                    Boolean waited = await(allDone, deadline, client);
                    if (waited == null || !waited) {
                        return waited;
                    }
                }
                return true;
            } finally {
                lock.unlock();
            }
        }

        private static long deadline(long timeoutNanos) {
            return timeoutNanos < 0 ? Long.MAX_VALUE : System.nanoTime() + timeoutNanos;
        }

        /**
         * Waits on {@code condition} in slices, looking between them whether the client is still there
         * (a waiting client sends nothing, so a readable connection means it closed). True to look
         * again, false when the deadline has passed, null when the client has gone.
         */
        private Boolean await(Condition condition, long deadline, Connection client) throws InterruptedException {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            condition.awaitNanos(Math.min(left, SLICE_NANOS));
            return client.poll() ? null : Boolean.TRUE;
        }
    }
}
