package org.multiprocessing4j.internal.queue;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.multiprocessing4j.EOFError;
import org.multiprocessing4j.ProcessError;
import org.multiprocessing4j.internal.codec.Codec;
import org.multiprocessing4j.internal.runtime.ExitActions;
import org.multiprocessing4j.internal.wait.Deadline;
import org.multiprocessing4j.internal.wire.Endpoint;
import org.multiprocessing4j.internal.wire.RawFrames;
import org.multiprocessing4j.internal.wire.SocketTransport;

/**
 * This JVM's gets from one queue served by another process, on a connection of their own (see
 * {@link QueueProtocol#TAKES}). When the queue holds many items and this JVM takes them quickly, one
 * round trip brings several (at most {@value QueueServer#LEND_MAX}, and half of what is there, so that
 * consumers in other JVMs get their share): the first is returned at once; the others are lent to
 * this JVM and handed out by the next gets, each acknowledged to the server with a message that needs
 * no reply. The server gives back to
 * the queue what it lent and was not acknowledged once this connection ends, so a consumer that exits
 * or is killed takes no item that its user did not get.
 *
 * <p>Every handle of the queue in this JVM, and every thread, shares it: gets from one JVM are served
 * in turn; a get with a timeout gives up when it cannot have its turn in time.
 */
final class Taker {
    private static final Map<Key, Taker> TAKERS = new ConcurrentHashMap<>();
    private static final byte[] ACK = {QueueProtocol.ACK};
    private static final byte[] DONE = {QueueProtocol.DONE};
    private static final byte[] SYNC = {QueueProtocol.SYNC};

    private final Key key;
    private final SocketTransport transport;
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Codec.Encoded> lent = new ArrayDeque<>(); // guarded by lock
    private long undone;          // guarded by lock: items handed out here, less the DONEs sent
    private boolean unsynced;     // guarded by lock: DONEs sent since the last SYNC
    private volatile boolean broken;

    /**
     * A queue and the server that serves it. Its {@code equals} and {@code hashCode} are written out: a
     * record's own are bootstrapped on their first call, some 30 ms of a new JVM's first get.
     */
    private record Key(Endpoint endpoint, long id) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && id == k.id && endpoint.equals(k.endpoint);
        }

        @Override
        public int hashCode() {
            return endpoint.hashCode() * 31 + Long.hashCode(id);
        }
    }

    private Taker(Key key, SocketTransport transport) {
        this.key = key;
        this.transport = transport;
    }

    /** This JVM's taker of queue {@code id} at {@code address}; connects on first use. */
    static Taker of(String address, long id) {
        return of(new Key(QueueClient.ownEndpoint(address), id));
    }

    /** Whether this taker's connection has closed; {@link #of} then makes a new one. */
    boolean isBroken() {
        return broken;
    }

    /** This JVM's taker of queue {@code id} at {@code address} if it has one; never connects. */
    private static Taker existing(String address, long id) {
        return TAKERS.get(new Key(QueueClient.ownEndpoint(address), id));
    }

    private static Taker of(Key key) {
        Taker t = TAKERS.get(key);
        if (t != null && !t.broken) {
            return t;
        }
        synchronized (TAKERS) {
            t = TAKERS.get(key);
            if (t == null || t.broken) {
                t = new Taker(key, QueueClient.of(key.endpoint()).openTakes(key.id()));
                TAKERS.put(key, t);
                ExitActions.jvm().service(CloseAll.INSTANCE);
            }
            return t;
        }
    }

    /**
     * The takers as a service of this JVM (see {@link ExitActions#service}): stopping it closes every
     * connection, so that their servers give back what they lent; the next get makes a new one.
     */
    private enum CloseAll implements Runnable {
        INSTANCE;

        @Override
        public void run() {
            synchronized (TAKERS) {
                TAKERS.values().forEach(Taker::close);
                TAKERS.clear();
            }
        }
    }

    /**
     * The next item, waiting up to {@code timeoutNanos} (negative: for ever); null on timeout.
     *
     * @throws ProcessError if the serving process is gone, or caused by {@link InterruptedException} if
     *     the thread was interrupted (the interrupt flag is set again)
     */
    Codec.Encoded take(long timeoutNanos) {
        long deadline = Deadline.at(timeoutNanos);
        try {
            if (timeoutNanos < 0) {
                lock.lockInterruptibly();
            } else if (!lock.tryLock(Math.max(0, timeoutNanos), TimeUnit.NANOSECONDS)) {
                return null; // another thread of this JVM waits for the queue meanwhile
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProcessError("get was interrupted", e);
        }
        long left = timeoutNanos < 0 ? -1 : Math.max(0, Deadline.remainingNanos(deadline));
        if (broken) { // another thread's get failed (an interrupt, say) while this one waited for its turn
            lock.unlock();
            return of(key).take(left);
        }
        try {
            Codec.Encoded next = lent.pollFirst();
            if (next != null) {
                send(ACK);
                undone++;
                return next;
            }
            send(QueueProtocol.request(QueueProtocol.TAKE, 0, left));
            byte[] reply = receive();
            if (reply[0] == QueueProtocol.TIMEOUT) {
                return null;
            }
            if (reply[0] != QueueProtocol.OK) {
                throw fail(new ProcessError(QueueAccess.gone(key.endpoint().address())
                        + new String(reply, 1, reply.length - 1, java.nio.charset.StandardCharsets.UTF_8)));
            }
            ArrayDeque<Codec.Encoded> items;
            try {
                items = QueueProtocol.itemsOf(reply);
            } catch (IOException corrupt) {
                throw fail(new ProcessError("a corrupt reply from the process serving the queue: " + corrupt, corrupt));
            }
            Codec.Encoded first = items.pollFirst();
            lent.addAll(items);
            undone++;
            return first;
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@code JoinableQueue.taskDone()} without a round trip: sent on the taker's connection when this JVM
     * has taken more items of the queue than it marked done, and no get of it waits for a reply. False
     * otherwise: the caller asks the server, which says whether it was one call too many.
     */
    static boolean taskDoneAhead(String address, long id) {
        Taker t = existing(address, id);
        if (t == null || !t.lock.tryLock()) {
            return false;
        }
        try {
            if (t.broken || t.undone <= 0) {
                return false;
            }
            t.send(DONE);
            t.undone--;
            t.unsynced = true;
            return true;
        } finally {
            t.lock.unlock();
        }
    }

    /**
     * Waits until the server has counted every {@code taskDone()} this JVM sent ahead, so that a join
     * sees them: one round trip, and only if some were sent since the last. Skipped while a get of this
     * JVM waits for its reply (the join waits for those done marks anyway; only a join that does not
     * wait could miss them).
     */
    static void syncDone(String address, long id) {
        Taker t = existing(address, id);
        if (t == null || !t.lock.tryLock()) {
            return;
        }
        try {
            if (t.broken || !t.unsynced) {
                return;
            }
            t.send(SYNC);
            t.receive();
            t.unsynced = false;
        } finally {
            t.lock.unlock();
        }
    }

    /** How many items lent to this JVM's taker of queue {@code id} at {@code address} wait to be handed out. */
    static int lentHere(String address, long id) {
        Taker t = existing(address, id);
        if (t == null) {
            return 0;
        }
        t.lock.lock();
        try {
            return t.lent.size();
        } finally {
            t.lock.unlock();
        }
    }

    private void send(byte[] request) {
        try {
            RawFrames.send(transport, request);
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    private byte[] receive() {
        try {
            return RawFrames.recv(transport);
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    /**
     * Closes this taker's connection, whose server gives back what it lent, and says why a call failed:
     * an interrupt, or a {@link ProcessError} made by the caller, as it came; the server gone as
     * {@link ProcessError}.
     */
    private RuntimeException fail(RuntimeException why) {
        broken = true;
        lent.clear(); // the server gives them back to the queue
        TAKERS.remove(key, this);
        transport.close();
        if (why instanceof EOFError || why instanceof IllegalStateException) {
            return new ProcessError(QueueAccess.gone(key.endpoint().address()) + why.getMessage(), why);
        }
        return why;
    }

    /** Closes the connection; the server gives back what it lent and this JVM did not hand out. */
    void close() {
        broken = true;
        transport.close();
    }
}
