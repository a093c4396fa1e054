package org.multiprocessing4j.internal.manager;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.NotSerializableException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.multiprocessing4j.ProcessError;
import org.multiprocessing4j.internal.codec.Codec;
import org.multiprocessing4j.internal.codec.MessageReader;
import org.multiprocessing4j.internal.codec.MessageWriter;
import org.multiprocessing4j.internal.launch.ProcessBridge;
import org.multiprocessing4j.internal.runtime.RuntimeDir;
import org.multiprocessing4j.internal.wait.IdleStrategy;
import org.multiprocessing4j.internal.wire.AuthServer;
import org.multiprocessing4j.internal.wire.FrameLayout;
import org.multiprocessing4j.internal.wire.SocketTransport;

/**
 * The manager's server, in the manager's own process (CPython's {@code managers.Server}): the objects
 * it created, by id, served to every process that connects with the authkey, one daemon thread per
 * connection (so that a call that blocks, a {@code take()}, blocks only its caller). Requests and
 * replies are {@link ManagerProtocol}'s.
 *
 * <p>A call runs the interface method on the object with the caller's arguments; see
 * {@link #reply(Served, Method, Object)} for how the result goes back. Objects live until the manager
 * shuts down, except those made only to return a result (an iterator) that their one holder dropped
 * ({@link ManagerProtocol#RELEASE}).
 */
public final class ManagerServer {
    /**
     * How long a server thread spins for its client's next request, while the client is quick (see
     * {@link IdleStrategy.Adaptive}): a warm client sends its next request a few µs after a reply. Measured with
     * a child doing put+get on a dict: ~9 µs a call once both JVMs are warm, against ~25 µs when the
     * server always parks; while the client is cold the server parks, leaving the cores to the JITs.
     */
    private static final long CLIENT_SPIN_NANOS = 20_000;
    private static final java.util.concurrent.atomic.AtomicInteger COUNTER = new java.util.concurrent.atomic.AtomicInteger();
    private static volatile ManagerServer current;

    private final long token = org.multiprocessing4j.internal.runtime.Urandom.nextLong();
    private final AuthServer listener;
    private final String address;
    private final Map<String, TypeSpec> types = new HashMap<>();
    private final Map<Long, Served> objects = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final CallWatch watch = new CallWatch();
    private volatile boolean stopping;

    /**
     * An object served: its id, the object, the interface it is served as (null for a handle), the
     * method names callers may use (null: all), the monitor its calls hold (null: none), and whether a
     * {@code RELEASE} may drop it.
     */
    record Served(long id, Object target, Class<?> iface, Set<String> exposed, Object monitor, boolean releasable) {
    }

    private ManagerServer(String bindAddress, byte[] authkey, List<TypeSpec> types) {
        for (TypeSpec t : types) {
            this.types.put(t.typeId(), t);
        }
        this.listener = AuthServer.serve(bindAddress != null ? bindAddress
                        : "unix:" + RuntimeDir.get().resolve("manager-" + COUNTER.incrementAndGet() + ".sock"),
                authkey != null ? authkey : ProcessBridge.authkey(), "mp4j-manager-accept", "mp4j-manager-client",
                this::serve);
        this.address = listener.address();
    }

    /**
     * Starts serving in this JVM: listens on {@code bindAddress} ({@code null}: a Unix socket in the
     * runtime directory) with {@code authkey} (null: the process's).
     *
     * @throws ProcessError if the address cannot be bound
     */
    public static synchronized ManagerServer start(String bindAddress, byte[] authkey, List<TypeSpec> types) {
        if (current != null) {
            throw new IllegalStateException("this process already runs a manager");
        }
        ManagerServer s = new ManagerServer(bindAddress, authkey, types);
        current = s;
        return s;
    }

    /** The server running in this JVM if its token is {@code token}, else null. */
    static ManagerServer local(long token) {
        ManagerServer s = current;
        return s != null && s.token == token && !s.stopping ? s : null;
    }

    public String address() {
        return address;
    }

    public long token() {
        return token;
    }

    /** Waits until a client asked the server to shut down (or {@link #stop()} was called). */
    public void awaitStop() throws InterruptedException {
        stopped.await();
    }

    /**
     * Stops serving: no more connections, those open are closed (their callers see the manager gone),
     * and the objects that are handles to shared resources are closed. Idempotent.
     */
    public void stop() {
        release();
        stopped.countDown();
    }

    /**
     * What {@link #stop()} does, without waking {@link #awaitStop()}: for a process that is about to
     * halt (stopped by a signal), whose main thread must not start a normal exit meanwhile.
     */
    public void release() {
        synchronized (this) {
            if (stopping) {
                return;
            }
            stopping = true;
        }
        listener.close(); // and the connections it serves
        watch.stop();
        for (Served s : objects.values()) {
            if (s.iface() == null && s.target() instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // closing at shutdown is best effort
                }
            }
        }
    }

    /** One connection's requests, until it ends, on a thread of its own; the listener closes it then. */
    private void serve(SocketTransport transport) {
        Session session = new Session(new CallWatch.Watched(transport.channel()));
        IdleStrategy.Adaptive spin = new IdleStrategy.Adaptive(CLIENT_SPIN_NANOS);
        try {
            while (!stopping) {
                transport.spinBeforeParking(spin.spinNanosBeforeWait());
                long waitStart = System.nanoTime();
                SocketTransport.Frame f = transport.recv(FrameLayout.MAX_PAYLOAD);
                spin.afterWait(System.nanoTime() - waitStart);
                if (f.kind() != FrameLayout.RAW || f.payload().length < ManagerProtocol.REQUEST_HEADER) {
                    return; // not one of our clients
                }
                byte op = f.payload()[ManagerProtocol.OP_OFFSET];
                MessageWriter reply = handle(session, op, f.payload());
                transport.send(FrameLayout.RAW, reply.array(), 0, reply.length());
                if (op == ManagerProtocol.SHUTDOWN) {
                    stop();
                    return;
                }
            }
        } catch (InterruptedIOException callerGone) {
            // the watch interrupted a call whose caller went away
        } catch (IOException | java.nio.channels.ClosedSelectorException gone) {
            // the client closed its connection or died, or the server is stopping
        }
    }

    /** A connection's methods, by the numbers its client gave them. */
    private static final class Session {
        final CallWatch.Watched watched;
        final List<Object> methods = new ArrayList<>(); // Method, or the String reason it could not be found

        Session(CallWatch.Watched watched) {
            this.watched = watched;
        }
    }

    private MessageWriter handle(Session session, byte op, byte[] request) {
        try {
            MessageReader r = ManagerProtocol.reader(request);
            r.readByte(); // the op
            long id = r.readLong();
            int method = r.readInt();
            switch (op) {
                case ManagerProtocol.CALL:
                    return call(session, id, method, r);
                case ManagerProtocol.CREATE:
                    return create(r.readString(), r.readString(), r);
                case ManagerProtocol.RELEASE: {
                    int n = r.readInt();
                    for (int i = 0; i < n; i++) {
                        long released = r.readLong();
                        Served s = objects.get(released);
                        if (s != null && s.releasable()) {
                            objects.remove(released);
                        }
                    }
                    return ManagerProtocol.reply(ManagerProtocol.OK, 1);
                }
                case ManagerProtocol.HELLO:
                    MessageWriter hello = ManagerProtocol.reply(ManagerProtocol.OK, 9);
                    hello.writeLong(token);
                    return hello;
                case ManagerProtocol.SHUTDOWN:
                    return ManagerProtocol.reply(ManagerProtocol.OK, 1);
                default:
                    return error("java.lang.IllegalArgumentException", "unknown request " + op);
            }
        } catch (IOException corrupt) {
            return error("java.io.IOException", corrupt.getMessage());
        }
    }

    private MessageWriter call(Session session, long id, int number, MessageReader r) throws IOException {
        Served s = objects.get(id);
        Method m = method(session, number, r, s);
        if (s == null) {
            return error("java.util.NoSuchElementException", "the manager at " + address + " has no object "
                    + id + " (it was released)");
        }
        if (m == null) {
            Object reason = number < 0 ? session.methods.get(-(number + 1))
                    : number < session.methods.size() ? session.methods.get(number) : null;
            return error("java.lang.NoSuchMethodException", reason instanceof String why ? why
                    : "method number " + number + " was never declared on this connection");
        }
        boolean objectMethod = m.getDeclaringClass() == Object.class;
        if (!objectMethod && !m.getDeclaringClass().isAssignableFrom(s.iface())) {
            return error("java.lang.NoSuchMethodException", MethodTable.signature(m) + " is not a method of "
                    + s.iface().getName());
        }
        if (!objectMethod && s.exposed() != null && !s.exposed().contains(m.getName())) {
            return error("java.lang.NoSuchMethodException", "method " + m.getName() + " of " + s.iface().getName()
                    + " is not exposed by the manager (exposed: " + s.exposed() + ")");
        }
        int argc = r.readUnsignedByte();
        if (argc != m.getParameterCount()) {
            return error("java.lang.IllegalArgumentException", argc + " arguments for " + MethodTable.signature(m));
        }
        Object[] args;
        try {
            args = arguments(r, argc);
        } catch (Unreadable u) {
            return u.reply("of " + m.getName());
        }
        boolean blocking = MethodTable.interruptible(m);
        if (blocking) {
            watch.begin(session.watched);
        }
        Object result;
        try {
            result = invoke(s, m, args);
        } catch (InvocationTargetException e) {
            return Thrown.reply(e.getCause());
        } catch (IllegalAccessException | IllegalArgumentException e) {
            return error(e.getClass().getName(), "cannot call " + MethodTable.signature(m) + ": " + e.getMessage());
        } finally {
            if (blocking) {
                watch.end(session.watched);
            }
        }
        return reply(s, m, result);
    }

    private static Object invoke(Served s, Method m, Object[] args)
            throws InvocationTargetException, IllegalAccessException {
        Object monitor = s.monitor();
        if (monitor == null) {
            return m.invoke(s.target(), args);
        }
        synchronized (monitor) {
            return m.invoke(s.target(), args);
        }
    }

    /** The method number {@code number} names on this connection, declaring it first if the request does. */
    private static Method method(Session session, int number, MessageReader r, Served s) throws IOException {
        if (number >= 0) {
            return number < session.methods.size() && session.methods.get(number) instanceof Method m ? m : null;
        }
        int n = -(number + 1);
        String signature = r.readString();
        Object resolved;
        try {
            ClassLoader loader = s != null && s.iface() != null && s.iface().getClassLoader() != null
                    ? s.iface().getClassLoader() : ClassLoader.getSystemClassLoader();
            resolved = MethodTable.resolve(signature, loader);
        } catch (ReflectiveOperationException | LinkageError e) {
            resolved = "the manager has no method " + signature + ": " + e;
        }
        while (session.methods.size() <= n) {
            session.methods.add(null);
        }
        session.methods.set(n, resolved);
        return resolved instanceof Method m ? m : null;
    }

    /**
     * The reply to a call that returned {@code result}. The rule: a result that can be serialized is
     * sent by value (a proxy among it stays a proxy, so a managed object stored in another comes back
     * live); one that cannot be, when the method's declared return type is an interface (an
     * {@code Iterator}, a map's {@code keySet()} view), stays here, served as that interface, and the
     * caller gets a proxy to it (whose calls hold the same monitor as the object's); anything else is
     * refused. The served object itself, returned, comes back as a proxy to it.
     */
    private MessageWriter reply(Served s, Method m, Object result) {
        if (result == null || m.getReturnType() == void.class) {
            return valueReply(Codec.encode(null));
        }
        Class<?> declared = m.getReturnType();
        if (result == s.target() && s.iface() != null && declared.isAssignableFrom(s.iface())) {
            return proxyReply(s.id(), s.iface());
        }
        try {
            Codec.Encoded e = Results.encode(result);
            return valueReply(e);
        } catch (NotSerializableException e) {
            if (declared.isInterface() && declared.isInstance(result)) {
                long id = ids.incrementAndGet();
                objects.put(id, new Served(id, result, declared, null, s.monitor(), true));
                return proxyReply(id, declared);
            }
            return error("java.io.NotSerializableException", "the result of " + m.getName() + " is a "
                    + result.getClass().getName() + ", which cannot be serialized, and "
                    + declared.getName() + " is not an interface a proxy could implement");
        } catch (IllegalArgumentException tooLarge) {
            return error("java.lang.IllegalArgumentException", "the result of " + m.getName() + " cannot be sent back: "
                    + tooLarge.getMessage());
        }
    }

    private MessageWriter create(String typeId, String wanted, MessageReader r) throws IOException {
        TypeSpec t = types.get(typeId);
        if (t == null) {
            return error("java.lang.IllegalArgumentException", "the manager at " + address
                    + " has no type registered as '" + typeId + "' (registered: " + types.keySet() + ")");
        }
        if (t.kind() != TypeSpec.Kind.HANDLE) {
            Class<?> want;
            try {
                ClassLoader loader = t.iface().getClassLoader() != null ? t.iface().getClassLoader()
                        : ClassLoader.getSystemClassLoader();
                want = Class.forName(wanted, false, loader);
            } catch (ClassNotFoundException | LinkageError e) {
                return error("java.lang.IllegalArgumentException", "the manager cannot load " + wanted);
            }
            if (!want.isAssignableFrom(t.iface())) {
                return error("java.lang.IllegalArgumentException", "'" + typeId + "' is registered as "
                        + t.iface().getName() + ", not as " + wanted);
            }
        }
        Object[] args;
        try {
            args = arguments(r, r.readUnsignedByte());
        } catch (Unreadable u) {
            return u.reply("for '" + typeId + "'");
        }
        Object obj;
        try {
            obj = t.factory().apply(args);
        } catch (RuntimeException | Error e) {
            return Thrown.reply(e);
        }
        if (obj == null) {
            return error("java.lang.NullPointerException", "the factory of '" + typeId + "' returned null");
        }
        long id = ids.incrementAndGet();
        if (t.kind() == TypeSpec.Kind.HANDLE) {
            objects.put(id, new Served(id, obj, null, null, null, false)); // kept until shutdown
            Codec.Encoded e;
            try {
                e = Results.encode(obj);
            } catch (NotSerializableException ex) {
                return error("java.io.NotSerializableException", "'" + typeId + "' made a "
                        + obj.getClass().getName() + ", which cannot be serialized");
            }
            return valueReply(e);
        }
        if (!t.iface().isInstance(obj)) {
            return error("java.lang.ClassCastException", "the factory of '" + typeId + "' made a "
                    + obj.getClass().getName() + ", which is not a " + t.iface().getName());
        }
        objects.put(id, new Served(id, obj, t.iface(), t.exposedOrNull(),
                t.kind() == TypeSpec.Kind.PROXY_SYNCHRONIZED ? obj : null, false));
        return proxyReply(id, t.iface());
    }

    /** Reads and decodes {@code argc} arguments, each a VALUE. */
    private static Object[] arguments(MessageReader r, int argc) throws IOException, Unreadable {
        Object[] args = new Object[argc];
        for (int i = 0; i < argc; i++) {
            Codec.Encoded e = r.readValue();
            try {
                args[i] = Codec.decode(e.tag(), e.body());
            } catch (IOException | ClassNotFoundException | RuntimeException | LinkageError ex) {
                throw new Unreadable(i, ex);
            }
        }
        return args;
    }

    /** An argument the manager cannot decode: the request is refused, naming it. */
    private static final class Unreadable extends Exception {
        private static final long serialVersionUID = 1L;
        private final int index;

        Unreadable(int index, Throwable cause) {
            super(cause);
            this.index = index;
        }

        MessageWriter reply(String whose) {
            return error(getCause().getClass().getName(), "the manager cannot read argument " + index + " "
                    + whose + ": " + getCause().getMessage());
        }
    }

    private static MessageWriter valueReply(Codec.Encoded e) {
        MessageWriter w = ManagerProtocol.reply(ManagerProtocol.VALUE, e.body().length + 6);
        w.writeValue(e);
        return w;
    }

    private static MessageWriter proxyReply(long id, Class<?> iface) {
        MessageWriter w = ManagerProtocol.reply(ManagerProtocol.PROXY, 64);
        w.writeLong(id);
        w.writeString(iface.getName());
        return w;
    }

    private static MessageWriter error(String type, String message) {
        MessageWriter w = ManagerProtocol.reply(ManagerProtocol.ERROR, 128);
        w.writeString(type);
        w.writeString(message);
        return w;
    }

    // ---- calls from proxies in this JVM (a proxy stored in a managed object and used here) ----------

    /**
     * Calls a method on object {@code id} in this JVM, without a connection: for a proxy that lives in
     * the manager's own process. Exceptions are thrown as they are; results are returned as they are.
     */
    Object callHere(long id, Method m, Object[] args) throws Throwable {
        Served s = objects.get(id);
        if (s == null) {
            throw new java.util.NoSuchElementException("the manager at " + address + " has no object " + id);
        }
        try {
            return invoke(s, m, args == null ? new Object[0] : args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
