package org.multiprocessing4j;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.multiprocessing4j.internal.codec.Serialization;
import org.multiprocessing4j.internal.manager.ManagerClient;
import org.multiprocessing4j.internal.manager.ServerMain;
import org.multiprocessing4j.internal.manager.TypeSpec;

/**
 * A server process that holds objects and lets other processes use them through proxies (Python's
 * {@code multiprocessing.managers.BaseManager}). Register the types it can make, {@link #start()} it,
 * then {@link #create} objects: each {@code create} makes one in the manager's process and returns a
 * proxy, an object implementing the registered interface whose every call runs in the manager.
 *
 * <pre>{@code
 * try (BaseManager m = new BaseManager()) {
 *     m.register("counter", Counter::new, CounterApi.class);
 *     m.start();
 *     CounterApi c = m.create("counter", CounterApi.class);
 *     Process p = new Process(() -> c.increment());   // the proxy works in any process
 *     ...
 * }
 * }</pre>
 *
 * <p><b>The manager's process.</b> {@link #start()} starts a child JVM (daemonic: it ends when this
 * JVM does, and is not waited for; unlike other daemonic processes it may start children, such as a
 * managed pool's workers, which end with it) and returns once it listens. {@code new BaseManager()} listens on a
 * Unix socket only this user can reach, with this process tree's authkey;
 * {@code new BaseManager("0.0.0.0:50000", key)} listens on TCP with {@code key}, so that programs on
 * other hosts can {@link #connect} to it. The key never appears on a command line or in the
 * environment: the manager's process gets it on its private stdin.
 *
 * <p><b>Proxies.</b> A proxy is a serializable handle (the manager's address and the object's id):
 * capture it in a {@link Process} target, send it through a {@link Queue} or a {@link Connection}, store
 * it in another managed object, and it works there, on the same object. Each JVM keeps its connections
 * to a manager and reuses them: a call is one round trip (a thread in a blocking call, a
 * {@code take()}, has a connection to itself, so other threads are not held up). Arguments and results
 * travel by value; a proxy among them stays a proxy. A method whose result cannot be serialized but
 * whose declared return type is an interface (an {@code Iterator}, a map's {@code keySet()}) returns a
 * proxy to the result, which stays in the manager. Exceptions the object throws reach the caller as
 * their own type, with the manager's stack trace followed by the caller's, or as a
 * {@link RemoteException} when they cannot (a checked exception the interface method does not declare,
 * a class this JVM does not have). {@code equals}, {@code hashCode} and {@code toString} are the
 * object's (a managed map equals a map with the same entries); two proxies to one object are equal.
 *
 * <p><b>Threads.</b> The manager calls an object from as many threads as there are callers at once;
 * an object registered with {@link #register} must be thread-safe, and its blocking methods block only
 * their caller. A caller interrupted in a method that declares {@link InterruptedException} gets it
 * once the manager has interrupted the call it was making, so that a {@code take()} abandoned takes no
 * item put afterwards (nor, once the manager sees its connection end, does one whose caller was killed).
 * A call that ended first (its item came as the interrupt did) returns its result, the caller's
 * interrupt status set. A call to a method that does not declare {@code InterruptedException}
 * ({@code Map.get}, a method of the user's that blocks) is not ended by an interrupt: it waits for its
 * reply and returns with the interrupt status set.
 *
 * <p><b>Lifetime.</b> Objects live until the manager shuts down (Python counts references across
 * processes instead; a proxy here can be stored anywhere, even written to disk, without keeping the
 * count right). The exception are results made only for one caller (an iterator): they are dropped in
 * the manager once that caller's proxy is unreachable, unless the proxy was sent elsewhere.
 *
 * <p><b>When the manager is gone</b> (shut down, or its process killed), every call on its proxies
 * fails at once with {@link EOFError} naming the manager, including calls blocked in it at the time.
 *
 * <p>{@link #shutdown()} (and {@link #close()}, so try-with-resources works) stops the manager's
 * process and waits for it; closing twice is allowed.
 */
public final class BaseManager implements AutoCloseable {
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);

    private final String bindAddress;  // null: a Unix socket in the manager's runtime directory
    private final byte[] authkey;      // null: this process tree's
    private final boolean connected;   // made by connect(): a client of a manager another process started
    private final List<TypeSpec> types = new ArrayList<>();
    private final Set<String> typeIds = new HashSet<>();
    private String kind = "BaseManager";

    private State state = State.INITIAL; // guarded by this
    private Process process;
    private volatile String address;
    private volatile long token;
    private volatile ManagerClient client; // this manager's key's connections, once started or connected

    private enum State { INITIAL, STARTED, SHUT_DOWN }

    /** A manager for this machine: a Unix socket, this process tree's authkey. */
    public BaseManager() {
        this(null, null, false);
    }

    /**
     * A manager that listens on {@code address}: {@code "host:port"} (port 0 picks a free one, see
     * {@link #address()}) or {@code "unix:<path>"}; clients must know {@code authkey} (null: this
     * process tree's).
     *
     * @throws IllegalArgumentException if the address is malformed
     */
    public BaseManager(String address, byte[] authkey) {
        this(Objects.requireNonNull(address, "address"), authkey, false);
        org.multiprocessing4j.internal.wire.Address.parse(address);
    }

    private BaseManager(String address, byte[] authkey, boolean connected) {
        this.bindAddress = address;
        this.authkey = authkey == null ? null : authkey.clone();
        this.connected = connected;
        this.address = address;
    }

    /**
     * A client of the manager listening at {@code address}, started by another program (or another
     * process of this one): {@link #create} makes the types the manager registered. Closing it ends
     * only this client's use; the manager runs on.
     *
     * <p>Every call authenticates anew with {@code authkey} (null: this process's own), whatever
     * connections this JVM already has to the address; the client's proxies use that key. A wrong key
     * fails here and leaves other clients and proxies of the same manager untouched.
     *
     * @throws AuthenticationError if the manager uses another authkey
     * @throws EOFError if no manager listens there
     */
    public static BaseManager connect(String address, byte[] authkey) {
        org.multiprocessing4j.internal.wire.Address.parse(address);
        BaseManager m = new BaseManager(address, authkey, true);
        ManagerClient c = ManagerClient.of(address, authkey);
        m.token = c.connect();
        m.client = c;
        m.state = State.STARTED;
        return m;
    }

    /**
     * Registers a type the manager can make (Python's {@code register(typeid, callable)}), before
     * {@link #start()}. {@code factory} runs in the manager's process, so it must be serializable: a
     * lambda or a constructor reference ({@code Counter::new}) written here is.
     *
     * @param typeId  the name to {@link #create} it by
     * @param iface   the interface its proxies implement
     * @param exposed the methods proxies may call, by name; none given: every method of {@code iface}.
     *                Calling another fails with {@link RemoteException}.
     * @throws IllegalStateException if the manager was started, or is a client made by {@link #connect}
     * @throws IllegalArgumentException if the type id is taken, {@code iface} is not an interface, an
     *     exposed name is not one of its methods, or the factory cannot be serialized (naming the class)
     */
    public synchronized <I> void register(String typeId, SerializableSupplier<? extends I> factory, Class<I> iface,
                                          String... exposed) {
        Objects.requireNonNull(typeId, "typeId");
        Objects.requireNonNull(factory, "factory");
        Objects.requireNonNull(iface, "iface");
        if (!iface.isInterface()) {
            throw new IllegalArgumentException(iface.getName() + " is not an interface: a proxy can only implement one");
        }
        Set<String> methods = new HashSet<>();
        for (java.lang.reflect.Method m : iface.getMethods()) {
            methods.add(m.getName());
        }
        for (String name : exposed) {
            if (!methods.contains(name)) {
                throw new IllegalArgumentException(iface.getName() + " has no method '" + name + "' to expose");
            }
        }
        SerializableFunction<Object[], ?> make = args -> factory.get();
        add(new TypeSpec(typeId, make, iface, Arrays.asList(exposed), TypeSpec.Kind.PROXY));
    }

    /** Registers a type made of a {@link TypeSpec}: for {@link Manager}'s standard types. */
    synchronized void add(TypeSpec spec) {
        if (connected) {
            throw new IllegalStateException("a client made by connect() uses the types its manager registered");
        }
        if (state != State.INITIAL) {
            throw new IllegalStateException("register types before start()");
        }
        if (typeIds.contains(spec.typeId())) {
            throw new IllegalArgumentException("a type is already registered as '" + spec.typeId() + "'");
        }
        Serialization.toBytes(spec.factory(), "the factory of '" + spec.typeId() + "'");
        typeIds.add(spec.typeId());
        types.add(spec);
    }

    /** How the manager's process is named: {@code kind-N}, as Python names it after the manager's class. */
    void setKind(String kind) {
        this.kind = kind;
    }

    /**
     * Starts the manager's process and returns once it listens, waiting without a time limit for that
     * (a registered type whose class initializer blocks keeps it waiting).
     *
     * @return this manager
     * @throws IllegalStateException if started before, or a client made by {@link #connect}
     * @throws ProcessError if the manager could not start (the address is in use, say); its process has
     *     ended then
     */
    public synchronized BaseManager start() {
        if (connected || state != State.INITIAL) {
            throw new IllegalStateException(connected ? "a client made by connect() has nothing to start"
                    : "the manager has already been started");
        }
        ServerMain.Started started;
        Process p;
        try (Listener report = new Listener()) {
            p = new Process(new ServerMain(bindAddress, authkey, types, report.address()));
            p.setName(kind + p.name().substring(p.name().indexOf('-')));
            p.setDaemon(true);
            p.start();
            started = awaitStarted(p, report);
        }
        if (started.error() != null) {
            stopProcess(p);
            throw new ProcessError("the manager could not start: " + started.error());
        }
        this.process = p;
        this.address = started.address();
        this.token = started.token();
        this.client = ManagerClient.of(address, authkey);
        ManagerClient.started(address, authkey);
        state = State.STARTED;
        return this;
    }

    /** The manager's report of its start; if its process ends first, a {@link ProcessError} saying so. */
    private static ServerMain.Started awaitStarted(Process p, Listener report) {
        java.util.concurrent.CompletableFuture<?> died = p.onExit().orElseThrow().thenRun(report::close);
        try {
            while (true) {
                Connection c;
                try {
                    c = report.accept();
                } catch (AuthenticationError notTheManager) {
                    continue;
                }
                try (c) {
                    return c.recv(ServerMain.Started.class);
                } catch (EOFError diedWhileReporting) {
                    throw ended(p);
                }
            }
        } catch (IllegalStateException listenerClosedBecauseItDied) {
            throw ended(p);
        } finally {
            died.cancel(false);
        }
    }

    private static ProcessError ended(Process p) {
        p.join(STOP_GRACE);
        Integer code = p.exitCode();
        return new ProcessError("the manager process " + p.name() + " ended before it was listening (exit code "
                + code + "; its stderr says why)");
    }

    /**
     * Makes an object of a registered type in the manager and returns a proxy to it implementing
     * {@code iface} (the registered interface or one it extends).
     *
     * @throws IllegalStateException if the manager is not started, or shut down
     * @throws RemoteException if the manager has no such type, or {@code iface} does not fit it
     * @throws EOFError if the manager is gone
     */
    public <I> I create(String typeId, Class<I> iface) {
        return create(typeId, iface, new Object[0]);
    }

    /** {@link #create(String, Class)} with arguments for the factory: for {@link Manager}'s types. */
    <I> I create(String typeId, Class<I> iface, Object... args) {
        Objects.requireNonNull(typeId, "typeId");
        Objects.requireNonNull(iface, "iface");
        checkStarted();
        return iface.cast(client.create(token, typeId, iface, args));
    }

    /**
     * Where the manager listens, as {@link #connect} takes it: after {@link #start()}, the bound address
     * (with the port a {@code :0} picked); before, the address given (null for a local manager).
     */
    public String address() {
        return address;
    }

    /**
     * Stops the manager: its process ends, and every proxy to its objects fails from then on with
     * {@link EOFError}. Returns once the process has ended: it is given 5 s to end, then SIGTERM and 5 s
     * more, then SIGKILL. Shared objects it made (locks, events …)
     * stay usable by processes that already hold them. On a client made by {@link #connect}, ends only
     * this client's use. Closing twice, or a manager never started, is allowed.
     */
    public void shutdown() {
        Process p;
        synchronized (this) {
            if (state != State.STARTED) {
                state = State.SHUT_DOWN;
                return;
            }
            state = State.SHUT_DOWN;
            p = process;
        }
        if (connected) {
            return;
        }
        try {
            client.shutdownServer(token);
        } catch (ProcessError alreadyGone) {
            // it died, or was killed: what is left is to reap it
        } finally {
            ManagerClient.forget(address, token);
        }
        stopProcess(p);
    }

    /** {@link #shutdown()}. */
    @Override
    public void close() {
        shutdown();
    }

    /** Waits for the manager's process to end, terminating it, then killing it, if it does not. */
    private static void stopProcess(Process p) {
        if (!p.join(STOP_GRACE)) {
            p.terminate();
            if (!p.join(STOP_GRACE)) {
                p.kill();
                p.join();
            }
        }
        p.close();
    }

    private synchronized void checkStarted() {
        if (state == State.INITIAL) {
            throw new IllegalStateException("start() the manager first");
        }
        if (state == State.SHUT_DOWN) {
            throw new IllegalStateException("the manager has been shut down");
        }
    }

    @Override
    public String toString() {
        return "<" + kind + " " + (address == null ? "local" : address) + " " + state.name().toLowerCase() + ">";
    }
}
