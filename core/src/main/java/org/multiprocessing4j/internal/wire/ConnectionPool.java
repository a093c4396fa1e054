package org.multiprocessing4j.internal.wire;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.function.Consumer;
import java.util.function.Function;
import org.multiprocessing4j.ProcessError;

/**
 * This JVM's authenticated connections to one {@link Endpoint} (an address and a key), reused: a caller
 * {@link #take() takes} a connection for one request and reply, then {@linkplain #giveBack gives it back}
 * or, if its call did not finish (interrupted, the peer gone: a reply may still be on the way),
 * {@linkplain #discard discards} it. So each call in flight has a connection of its own (a blocked
 * request holds up nobody else), and a thread that calls again reuses the one it gave back last.
 * A connection made with one key is never handed to a caller that holds another: pools are kept per
 * endpoint ({@link Registry}).
 *
 * <p>A subclass says what a connection is ({@code C}: a {@link SocketTransport}, or one with what the
 * peer knows of it) and how one is {@linkplain #open() opened}; it is the protocol's client.
 *
 * <p>Blocking: {@link #take()} blocks only when it opens a connection (connect and handshake, as
 * {@link #open()} does); giving back, discarding and closing never block. Peer death: the pool does not
 * watch its connections; the call on one fails, and its caller discards it. {@link #closeIdle()} closes
 * what waits in the pool; {@link #close()} closes every connection the pool made, idle or in use (a call
 * in flight then fails), and later {@link #take()}s that need a new one fail (see {@link #open()}).
 * Thread-safe.
 *
 * @param <C> a pooled connection
 */
public abstract class ConnectionPool<C> {
    private final Endpoint endpoint;
    private final ConcurrentLinkedDeque<C> idle = new ConcurrentLinkedDeque<>();
    private final Set<C> open = ConcurrentHashMap.newKeySet(); // idle or in use
    private volatile boolean closed;

    protected ConnectionPool(Endpoint endpoint) {
        this.endpoint = endpoint;
    }

    /** The address and key this pool connects with. */
    public final Endpoint endpoint() {
        return endpoint;
    }

    public final String address() {
        return endpoint.address();
    }

    /**
     * Opens a new connection to {@link #endpoint()}: connected, authenticated, and greeted as the
     * protocol requires; blocks for that. Once the pool is {@linkplain #isClosed() closed} it should
     * throw what a call to a closed peer throws. Its exceptions go to the caller of {@link #take()}.
     */
    protected abstract C open();

    /** The socket under {@code c}, which the pool closes. */
    protected abstract SocketTransport transport(C c);

    /**
     * What a {@link #take()} that opened a connection while the pool was closed throws: by default a
     * {@link ProcessError}, the peer being gone for this pool's callers. A protocol that closes its
     * pools (a manager shut down) says it in its own words.
     */
    protected RuntimeException closedWhileOpening() {
        return new ProcessError("the connections to " + address() + " were closed");
    }

    /**
     * The connection given back last, or a new one ({@link #openNew()}) if none is idle. The caller
     * has it alone until it gives it back or discards it.
     */
    protected final C take() {
        C c = idle.pollFirst();
        return c != null ? c : openNew();
    }

    /**
     * A new connection ({@link #open()}), never an idle one, counted as the pool's own.
     *
     * @throws RuntimeException what {@link #open()} throws, or {@link #closedWhileOpening()} if the pool
     *     was closed meanwhile (the new connection is then closed)
     */
    protected final C openNew() {
        C c = open();
        open.add(c);
        if (closed) {
            discard(c);
            throw closedWhileOpening();
        }
        return c;
    }

    /** Gives back a connection whose last call finished, for the next caller; closes it if the pool is closed. */
    protected final void giveBack(C c) {
        if (!closed) {
            idle.addFirst(c);
        } else {
            discard(c);
        }
    }

    /** Closes a connection that must not be reused (its call did not finish, or its peer is gone). */
    protected final void discard(C c) {
        open.remove(c);
        transport(c).close();
    }

    /** Whether {@link #close()} was called. */
    protected final boolean isClosed() {
        return closed;
    }

    /** Whether the pool has no open connection, idle or in use. */
    protected final boolean isEmpty() {
        return open.isEmpty();
    }

    /** Closes the idle connections; those in use stay open, and are pooled again when given back. */
    public final void closeIdle() {
        C c;
        while ((c = idle.pollFirst()) != null) {
            discard(c);
        }
    }

    /** Closes every connection, idle or in use; see the class description. Idempotent. */
    public final void close() {
        closed = true;
        idle.clear();
        for (C c : open) {
            transport(c).close();
        }
        open.clear();
    }

    /**
     * This JVM's pools of one protocol, one per {@link Endpoint}, made on first use.
     *
     * @param pools the pools by endpoint (a concurrent map)
     * @param make  makes the pool of an endpoint
     * @param <P>   the protocol's pool
     */
    public record Registry<P extends ConnectionPool<?>>(Map<Endpoint, P> pools, Function<Endpoint, P> make) {

        public Registry(Function<Endpoint, P> make) {
            this(new ConcurrentHashMap<>(), make);
        }

        /** The pool of {@code endpoint}, made now if there is none. */
        public P of(Endpoint endpoint) {
            P p = pools.get(endpoint);
            return p != null ? p : pools.computeIfAbsent(endpoint, make);
        }

        /** Drops {@code pool} from the registry, if it is still the one of its endpoint. */
        public void remove(P pool) {
            pools.remove(pool.endpoint(), pool);
        }

        /**
         * Drops the pools of {@code address}, whatever their key, and hands each to {@code then} (which
         * closes it, or its idle connections); a later {@link #of} makes a new one.
         */
        public void forget(String address, Consumer<? super P> then) {
            for (P p : pools.values()) {
                if (p.address().equals(address) && pools.remove(p.endpoint(), p)) {
                    then.accept(p);
                }
            }
        }
    }
}
