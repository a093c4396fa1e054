package org.multiprocessing4j.internal.queue;

import java.nio.charset.StandardCharsets;
import org.multiprocessing4j.EOFError;
import org.multiprocessing4j.ProcessError;
import org.multiprocessing4j.internal.launch.ProcessBridge;
import org.multiprocessing4j.internal.wire.ConnectionPool;
import org.multiprocessing4j.internal.wire.Dial;
import org.multiprocessing4j.internal.wire.Endpoint;
import org.multiprocessing4j.internal.wire.RawFrames;
import org.multiprocessing4j.internal.wire.SocketTransport;

/**
 * This JVM's side of the queues served by one {@link QueueServer}, for one authkey: a
 * {@link ConnectionPool} of connections authenticated with that key, one per call in flight, so that
 * threads do not wait for each other's blocking gets. Pools are kept per address and key
 * ({@link Endpoint}): a connection is never handed to a caller that holds another key. Queues use this
 * process's own key.
 */
public final class QueueClient extends ConnectionPool<SocketTransport> {
    private static final ConnectionPool.Registry<QueueClient> CLIENTS = new ConnectionPool.Registry<>(QueueClient::new);

    private QueueClient(Endpoint endpoint) {
        super(endpoint);
    }

    /** This JVM's client of the queue server at {@code address}, with this process's authkey. */
    public static QueueClient of(String address) {
        return of(ownEndpoint(address));
    }

    static QueueClient of(Endpoint endpoint) {
        return CLIENTS.of(endpoint);
    }

    /** The server at {@code address} reached with this process's authkey. */
    static Endpoint ownEndpoint(String address) {
        return new Endpoint(address, ProcessBridge.authkey());
    }

    /**
     * Closes and drops the idle connections to a server that has stopped, whatever their key; a call in
     * flight ends as the server closes its side.
     */
    static void forget(String address) {
        CLIENTS.forget(address, ConnectionPool::closeIdle);
    }

    /** A new connection, or the gone server as {@link ProcessError} (an interrupt as {@link Dial} says). */
    @Override
    protected SocketTransport open() {
        try {
            return Dial.connect(address(), endpoint().authkey());
        } catch (ProcessError e) {
            if (e.getCause() instanceof InterruptedException) {
                throw e; // interrupted while it connected: the caller's take was interrupted, nothing more
            }
            throw new ProcessError(gone() + e.getMessage(), e);
        }
    }

    private String gone() {
        return QueueAccess.gone(address());
    }

    @Override
    protected SocketTransport transport(SocketTransport c) {
        return c;
    }

    /** A reply: its status and the rest of it. */
    public record Reply(byte status, byte[] body) {
        public boolean ok() {
            return status == QueueProtocol.OK;
        }

        public long asLong() {
            return QueueProtocol.number(body);
        }
    }

    public Reply size(long id) {
        return call(QueueProtocol.request(QueueProtocol.SIZE, id, 0));
    }

    public Reply taskDone(long id) {
        return call(QueueProtocol.request(QueueProtocol.TASK_DONE, id, 0));
    }

    public Reply join(long id, long timeoutNanos) {
        return call(QueueProtocol.request(QueueProtocol.JOIN, id, timeoutNanos));
    }

    /**
     * A new connection that streams this JVM's puts to queue {@code id} (see {@link QueueProtocol#STREAM}).
     *
     * @throws ProcessError if the server or the queue is gone
     */
    SocketTransport openStream(long id) {
        return openDedicated(QueueProtocol.STREAM, id);
    }

    /**
     * A new connection for this JVM's gets from queue {@code id} (see {@link QueueProtocol#TAKES}).
     *
     * @throws ProcessError if the server or the queue is gone
     */
    SocketTransport openTakes(long id) {
        return openDedicated(QueueProtocol.TAKES, id);
    }

    /** A connection of its own for {@code op} on queue {@code id}; an interrupt while it connects, as it came. */
    private SocketTransport openDedicated(byte op, long id) {
        SocketTransport c = open();
        try {
            RawFrames.send(c, QueueProtocol.request(op, id, 0));
            refused(RawFrames.recv(c));
            return c;
        } catch (RuntimeException e) {
            c.close();
            if (e instanceof EOFError) {
                throw new ProcessError(gone() + e.getMessage(), e);
            }
            throw e;
        }
    }

    /**
     * Throws what a refusal means: ERROR, the server no longer serves the queue ({@link ProcessError});
     * MISUSE, the caller's error ({@link IllegalStateException}).
     */
    private static void refused(byte[] reply) {
        if (reply[0] == QueueProtocol.ERROR || reply[0] == QueueProtocol.MISUSE) {
            String why = new String(reply, 1, reply.length - 1, StandardCharsets.UTF_8);
            throw reply[0] == QueueProtocol.MISUSE ? new IllegalStateException(why) : new ProcessError(why);
        }
    }

    /**
     * One round trip. A connection whose call did not finish (interrupted, or the server gone) is closed,
     * never reused: its reply may still be on the way.
     */
    private Reply call(byte[] request) {
        SocketTransport c = take();
        boolean done = false;
        try {
            RawFrames.send(c, request);
            byte[] reply = RawFrames.recv(c);
            done = true;
            refused(reply);
            byte[] body = new byte[reply.length - 1];
            System.arraycopy(reply, 1, body, 0, body.length);
            return new Reply(reply[0], body);
        } catch (EOFError e) {
            throw new ProcessError(gone() + e.getMessage(), e);
        } finally {
            if (done) {
                giveBack(c);
            } else {
                discard(c);
            }
        }
    }
}
