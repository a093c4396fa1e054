package org.multiprocessing4j.internal.manager;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.ClosedChannelException;
import java.util.BitSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.multiprocessing4j.AuthenticationError;
import org.multiprocessing4j.EOFError;
import org.multiprocessing4j.ProcessError;
import org.multiprocessing4j.internal.codec.MessageReader;
import org.multiprocessing4j.internal.codec.MessageWriter;
import org.multiprocessing4j.internal.flight.Flight;
import org.multiprocessing4j.internal.flight.ManagerCallEvent;
import org.multiprocessing4j.internal.launch.ProcessBridge;
import org.multiprocessing4j.internal.wait.Deadline;
import org.multiprocessing4j.internal.wire.ConnectionPool;
import org.multiprocessing4j.internal.wire.Dial;
import org.multiprocessing4j.internal.wire.Endpoint;
import org.multiprocessing4j.internal.wire.FrameLayout;
import org.multiprocessing4j.internal.wire.SocketTransport;

/**
 * This JVM's side of one manager address and authkey: a {@link ConnectionPool} of authenticated
 * connections to it. A call takes an idle connection (or opens one), sends its request, waits for the
 * reply and gives the connection back; so each thread in a call has a connection of its own (a blocked
 * {@code take()} holds up nobody else) and a thread that calls again reuses the one it had, one round
 * trip per call.
 *
 * <p>Keys: connections are pooled per address <em>and</em> key ({@link Endpoint}), so a connection
 * authenticated with one key is never used by a caller that holds another, and a wrong key given to
 * {@link #connect()} fails there, every time, without touching anyone else's connections. A proxy uses
 * the client of the key it was made with; a proxy that came from another process without a key uses
 * {@link #forReceived}: the key that last authenticated at its address in this JVM, else this process's
 * own, which children inherit.
 *
 * <p>Interrupts: a call to a method that declares {@link InterruptedException} ends on an interrupt, once
 * the manager has ended the call there (see {@link #abandon}); an interrupt never ends the opening of a
 * connection, nor any other call, and stays set for later.
 *
 * <p>When the manager is gone a call fails at once with {@link EOFError} naming it: its process ended
 * (the connection reads end of stream, or nothing listens any more), or another manager now listens at
 * the address (each new connection checks the manager's token).
 */
public final class ManagerClient extends ConnectionPool<ManagerClient.Channel> {
    private static final ConnectionPool.Registry<ManagerClient> CLIENTS = new ConnectionPool.Registry<>(ManagerClient::new);
    /**
     * By address: the key that last authenticated there from this JVM (or that the manager this JVM
     * started there uses); where a proxy received without a key connects.
     */
    private static final Map<String, byte[]> KEYS = new ConcurrentHashMap<>();
    /** The managers this JVM shut down, by token: their proxies' calls say so. */
    private static final Set<Long> SHUT_DOWN = ConcurrentHashMap.newKeySet();

    /** How long a caller interrupted in a call waits for the manager to end it (see {@link #abandon}). */
    private static final long ABANDON_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(5);

    private final String address;
    private final ConcurrentLinkedQueue<Long> releases = new ConcurrentLinkedQueue<>();

    private ManagerClient(Endpoint endpoint) {
        super(endpoint);
        this.address = endpoint.address();
    }

    /** This JVM's client of the manager at {@code address} with {@code key} (null: this process's own). */
    public static ManagerClient of(String address, byte[] key) {
        return CLIENTS.of(new Endpoint(address, key != null ? key : ProcessBridge.authkey()));
    }

    /**
     * The client for a proxy that reached this JVM without a key: the key that last authenticated at
     * {@code address} here, else this process's own.
     */
    static ManagerClient forReceived(String address) {
        return of(address, KEYS.get(address));
    }

    /**
     * Records that the manager at {@code address} uses {@code key} (null: this process's own), as one
     * this JVM started there does: proxies to it received without a key connect with it.
     */
    public static void started(String address, byte[] key) {
        if (key == null) {
            KEYS.remove(address);
        } else {
            KEYS.put(address, key.clone());
        }
    }

    /** Records a key that arrived with a proxy in this child's bootstrap, unless one is known for the address. */
    static void learnKey(String address, byte[] key) {
        KEYS.putIfAbsent(address, key.clone());
    }

    /**
     * Closes this JVM's connections to {@code address}, whatever their key, where this JVM shut down
     * the manager {@code token}; calls in flight fail with {@link EOFError}, and later calls say it was
     * shut down.
     */
    public static void forget(String address, long token) {
        SHUT_DOWN.add(token);
        CLIENTS.forget(address, ConnectionPool::close);
    }

    /** The key to put in a proxy's handle for a child's bootstrap: this client's, unless it is the process's own. */
    byte[] keyToSend() {
        return endpoint().hasKey(ProcessBridge.authkey()) ? null : endpoint().authkey();
    }

    /**
     * Connects anew, authenticates with this client's key and returns the token of the manager that
     * listens there; the connection then joins the pool. Never reuses a pooled connection, so a key
     * is checked by every call. A refused key leaves no client behind.
     *
     * @throws AuthenticationError if the manager refuses the key
     * @throws EOFError if nothing listens there, or it went away meanwhile
     */
    public long connect() {
        Channel c;
        try {
            c = openNew();
        } catch (AuthenticationError e) {
            if (isEmpty()) {
                CLIENTS.remove(this);
            }
            throw e;
        }
        release(c, true);
        return c.token;
    }

    /** A connection and what the server knows of it. */
    static final class Channel {
        final SocketTransport transport;
        final long token;
        final BitSet declared = new BitSet();
        final MessageWriter out = ManagerProtocol.writer(256);

        Channel(SocketTransport transport, long token) {
            this.transport = transport;
            this.token = token;
        }
    }

    /**
     * Takes a channel for one request: an idle one, or a new one (connected, authenticated, and
     * asked for the manager's token).
     *
     * @param token the manager the caller expects, or 0 for whichever listens there
     * @throws EOFError if nothing listens there, or another manager does
     * @throws AuthenticationError if the manager refuses this client's key
     */
    Channel take(long token) {
        if (token != 0 && SHUT_DOWN.contains(token)) {
            throw gone("it was shut down", null);
        }
        Channel c = take();
        if (token != 0 && c.token != token) {
            release(c, true);
            throw gone("another manager now listens there, the one that made this proxy is gone", null);
        }
        return c;
    }

    /** Gives back a channel after its request; one whose reply did not arrive is closed, never reused. */
    void release(Channel c, boolean reusable) {
        if (reusable && !c.transport.isClosed()) {
            giveBack(c);
        } else {
            discard(c);
        }
    }

    /**
     * A new channel: connected, authenticated both ways, and told the manager's token. A manager that
     * goes away meanwhile (even in the middle of the handshake) is {@link EOFError}; a manager that
     * refuses the key is {@link AuthenticationError}; a client whose manager this JVM shut down says so.
     */
    @Override
    protected Channel open() {
        if (isClosed()) {
            throw gone("it was shut down", null);
        }
        boolean interrupted = Thread.interrupted(); // opening is not what an interrupt ends: the call sees it
        try {
            return openUninterrupted();
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private Channel openUninterrupted() {
        SocketTransport t;
        try {
            t = Dial.open(address, endpoint().authkey());
        } catch (Dial.Failed f) {
            throw switch (f.reason()) {
                case NOTHING_LISTENS -> gone("nothing listens there any more (" + f.getMessage() + ")", f.getCause());
                case GONE_DURING_HANDSHAKE, INTERRUPTED ->
                        gone("it went away while this process connected (" + f.getMessage() + ")", f.getCause());
                case REFUSED_KEY -> new AuthenticationError("the manager at " + address + " refused the authkey: "
                        + f.getMessage());
            };
        }
        Channel c;
        try {
            MessageReader r = ManagerProtocol.reader(exchange(t, ManagerProtocol.request(ManagerProtocol.HELLO), false));
            if (r.readByte() != ManagerProtocol.OK) {
                throw new IOException("it is not a manager");
            }
            c = new Channel(t, r.readLong());
        } catch (IOException e) {
            t.close();
            throw gone("it went away while this process connected (" + e.getMessage() + ")", e);
        }
        KEYS.put(address, endpoint().authkey());
        return c;
    }

    @Override
    protected SocketTransport transport(Channel c) {
        return c.transport;
    }

    @Override
    protected RuntimeException closedWhileOpening() {
        return gone("it was shut down", null);
    }

    /**
     * Sends a request and waits for its reply. When {@code interruptible}, an interrupt while waiting
     * throws {@link InterruptedIOException} (the reply may still come: the caller must not reuse the
     * channel, see {@link #abandon}); otherwise interrupts are kept for later and the wait goes on.
     */
    static byte[] exchange(SocketTransport t, MessageWriter request, boolean interruptible) throws IOException {
        try {
            return exchangeOnce(t, request, interruptible);
        } catch (java.nio.channels.ClosedSelectorException closedMeanwhile) {
            throw new ClosedChannelException(); // closed by another thread (a shutdown) while we waited
        }
    }

    private static byte[] exchangeOnce(SocketTransport t, MessageWriter request, boolean interruptible)
            throws IOException {
        t.send(FrameLayout.RAW, request.array(), 0, request.length());
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return t.recv(FrameLayout.MAX_PAYLOAD).payload();
                } catch (InterruptedIOException e) {
                    if (interruptible) {
                        throw e;
                    }
                    Thread.interrupted();
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * After an interrupt in a call that may block: ends this side's stream, which tells the manager
     * that the caller left (its {@link CallWatch} interrupts the call), and waits for the call's reply,
     * at most {@link #ABANDON_NANOS}. So the call is over in the manager before its caller goes on: a
     * {@code take()} cannot take an item that the caller, or anyone it tells, puts afterwards. Returns the
     * reply (the call may have ended on its own first), or null if none came. Clears the interrupt.
     */
    private static byte[] abandon(SocketTransport t) {
        t.shutdownOutput();
        long deadline = Deadline.at(ABANDON_NANOS);
        try {
            while (true) {
                Thread.interrupted();
                try {
                    return t.poll(Deadline.remainingNanos(deadline)) ? t.recv(FrameLayout.MAX_PAYLOAD).payload() : null;
                } catch (InterruptedIOException again) {
                    if (Deadline.remainingNanos(deadline) == 0) {
                        return null;
                    }
                }
            }
        } catch (IOException | java.nio.channels.ClosedSelectorException gone) {
            return null; // the manager went away, or a shutdown closed the connection
        } finally {
            Thread.interrupted();
        }
    }

    /** Releases queued by proxies that were dropped, sent before the next request. */
    void queueRelease(long id) {
        releases.add(id);
    }

    /** Sends the queued releases on {@code c}, if any. */
    void sendReleases(Channel c) throws IOException {
        if (releases.isEmpty()) {
            return;
        }
        MessageWriter w = ManagerProtocol.request(ManagerProtocol.RELEASE);
        int countAt = w.length();
        w.writeInt(0);
        int n = 0;
        Long id;
        while (n < 4096 && (id = releases.poll()) != null) {
            w.writeLong(id);
            n++;
        }
        w.setInt(countAt, n);
        exchange(c.transport, w, false);
    }

    // ---- requests ----------------------------------------------------------------------------------

    /**
     * Calls {@code method} on object {@code id} of manager {@code token} with encoded arguments and
     * returns the result (a proxy for a result that stays in the manager) or throws what the object
     * threw (see {@link Thrown#read}).
     */
    Object call(long token, long id, java.lang.reflect.Method method, org.multiprocessing4j.internal.codec.Codec.Encoded[] args)
            throws Throwable {
        ManagerCallEvent event = Flight.recorderStarted() ? new ManagerCallEvent() : null;
        if (event != null) {
            event.begin();
        }
        String thrown = "";
        try {
            return invoke(token, id, method, args);
        } catch (Throwable t) {
            thrown = t.getClass().getName();
            throw t;
        } finally {
            if (event != null && event.shouldCommit()) {
                event.manager = address;
                event.method = method.getDeclaringClass().getSimpleName() + "." + method.getName();
                event.thrown = thrown;
                event.commit();
            }
        }
    }

    private Object invoke(long token, long id, java.lang.reflect.Method method,
                          org.multiprocessing4j.internal.codec.Codec.Encoded[] args) throws Throwable {
        MethodTable.Entry entry = MethodTable.of(method);
        Channel c = take(token);
        boolean reusable = false;
        byte[] reply;
        try {
            sendReleases(c);
            MessageWriter w = c.out;
            w.reset(64 * 1024); // a large request's array is not kept for the connection's life
            boolean declare = !c.declared.get(entry.number());
            ManagerProtocol.writeHeader(w, ManagerProtocol.CALL, id, declare ? -(entry.number() + 1) : entry.number());
            if (declare) {
                w.writeString(entry.signature());
            }
            w.writeByte(args.length);
            for (org.multiprocessing4j.internal.codec.Codec.Encoded a : args) {
                w.writeValue(a);
            }
            try {
                reply = exchange(c.transport, w, entry.interruptible());
            } catch (InterruptedIOException e) {
                reply = abandon(c.transport);
                if (reply == null || reply[0] != ManagerProtocol.VALUE && reply[0] != ManagerProtocol.PROXY) {
                    throw new InterruptedException("interrupted while waiting for " + method.getName()
                            + " on the manager at " + address);
                }
                Thread.currentThread().interrupt(); // the call ended first: its result is the caller's
                return result(reply, method, method.getReturnType(), token);
            }
            if (declare) {
                c.declared.set(entry.number());
            }
            reusable = true;
        } catch (IOException e) {
            throw broken(e);
        } finally {
            release(c, reusable);
        }
        return result(reply, method, method.getReturnType(), token);
    }

    /** Asks the manager to make a {@code typeId}; returns a proxy implementing {@code iface}, or the handle. */
    public Object create(long token, String typeId, Class<?> iface, Object... args) {
        MessageWriter w = ManagerProtocol.request(ManagerProtocol.CREATE);
        w.writeString(typeId);
        w.writeString(iface.getName());
        w.writeByte(args.length);
        for (Object a : args) {
            w.writeValue(org.multiprocessing4j.internal.codec.Codec.encode(a));
        }
        try {
            return result(request(token, w), null, iface, token);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new org.multiprocessing4j.RemoteException(t);
        }
    }

    /** Asks the manager to shut down; returns once it has answered (its process then ends). */
    public void shutdownServer(long token) {
        request(token, ManagerProtocol.request(ManagerProtocol.SHUTDOWN));
    }

    private byte[] request(long token, MessageWriter w) {
        Channel c = take(token);
        boolean reusable = false;
        try {
            byte[] reply = exchange(c.transport, w, false);
            reusable = true;
            return reply;
        } catch (IOException e) {
            throw broken(e);
        } finally {
            release(c, reusable);
        }
    }

    /** What a reply stands for: a value, a proxy, or an exception to throw. */
    private Object result(byte[] reply, java.lang.reflect.Method method, Class<?> proxyType, long token)
            throws Throwable {
        try {
            return parse(reply, method, proxyType, token);
        } catch (Corrupt e) {
            throw new ProcessError("the manager at " + address + " sent a reply this process cannot read: "
                    + e.getCause().getMessage(), e.getCause());
        }
    }

    /** A reply that could not be parsed, apart from the exceptions a reply may carry. */
    private static final class Corrupt extends Exception {
        private static final long serialVersionUID = 1L;

        Corrupt(IOException e) {
            super(e);
        }
    }

    private Object parse(byte[] bytes, java.lang.reflect.Method method, Class<?> proxyType, long token)
            throws Throwable {
        Reader r = new Reader(ManagerProtocol.reader(bytes));
        byte status = r.getByte();
        switch (status) {
            case ManagerProtocol.VALUE: {
                org.multiprocessing4j.internal.codec.Codec.Encoded e = r.getValue();
                try {
                    return org.multiprocessing4j.internal.codec.Codec.decode(e.tag(), e.body());
                } catch (IOException | ClassNotFoundException | RuntimeException | LinkageError ex) {
                    throw new ProcessError("cannot read the result" + (method == null ? "" : " of " + method.getName())
                            + " from the manager at " + address + ": " + ex, ex);
                }
            }
            case ManagerProtocol.PROXY: {
                long id = r.getLong();
                r.getString(); // the interface the manager serves it as; the caller's type is the one to implement
                return ProxyHandler.proxy(this, token, id, proxyType, method != null); // a call's result: releasable
            }
            case ManagerProtocol.THROWN:
                throw r.thrown(method, address);
            case ManagerProtocol.ERROR: {
                String type = r.getString();
                String message = r.getString();
                throw new org.multiprocessing4j.RemoteException(type, message,
                        Thrown.withCaller(new StackTraceElement[0], address));
            }
            default:
                throw new ProcessError("unexpected reply " + status + " from the manager at " + address);
        }
    }

    /** A reply's reader whose cut-short fields are {@link Corrupt}, never an {@link IOException}. */
    private record Reader(MessageReader in) {
        byte getByte() throws Corrupt {
            try {
                return in.readByte();
            } catch (IOException e) {
                throw new Corrupt(e);
            }
        }

        long getLong() throws Corrupt {
            try {
                return in.readLong();
            } catch (IOException e) {
                throw new Corrupt(e);
            }
        }

        String getString() throws Corrupt {
            try {
                return in.readString();
            } catch (IOException e) {
                throw new Corrupt(e);
            }
        }

        org.multiprocessing4j.internal.codec.Codec.Encoded getValue() throws Corrupt {
            try {
                return in.readValue();
            } catch (IOException e) {
                throw new Corrupt(e);
            }
        }

        Throwable thrown(java.lang.reflect.Method method, String address) throws Corrupt {
            try {
                return Thrown.read(in, method, address);
            } catch (IOException e) {
                throw new Corrupt(e);
            }
        }
    }

    /** The failure of a call to a manager that is gone. */
    EOFError gone(String why, Throwable cause) {
        return new EOFError("the manager at " + address + " is gone: " + why, cause);
    }

    /** The failure of a call whose connection broke. */
    EOFError broken(IOException e) {
        if (e instanceof ClosedChannelException || isClosed()) {
            return gone("it was shut down", e);
        }
        return gone("its process ended or closed the connection (" + e.getMessage() + ")", e);
    }
}
