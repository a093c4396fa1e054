package org.multiprocessing4j;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.multiprocessing4j.internal.manager.NamespaceObject;
import org.multiprocessing4j.internal.manager.TypeSpec;

/**
 * A manager with the standard shared types, Python's {@code multiprocessing.Manager()} (its
 * {@code SyncManager}): a server process that holds dicts, lists, namespaces and queues for every
 * process that has a proxy to them, and makes the synchronisation objects.
 *
 * <pre>{@code
 * try (Manager m = Manager.start()) {
 *     Map<String, Integer> d = m.dict();
 *     List<Process> ps = new ArrayList<>();
 *     for (int i = 0; i < 4; i++) {
 *         int n = i;
 *         Process p = new Process(() -> d.put("worker-" + n, n * n));
 *         p.start();
 *         ps.add(p);
 *     }
 *     for (Process p : ps) p.join();
 *     System.out.println(d);   // {worker-0=0, worker-1=1, worker-2=4, worker-3=9}
 * }
 * }</pre>
 *
 * <p>What the proxies are, how calls, arguments, results and errors travel, when objects go away and
 * what happens when the manager dies: see {@link BaseManager}; everything said there holds here.
 *
 * <p><b>Dicts, lists, namespaces</b> ({@link #dict()}, {@link #list()}, {@link #namespace()}) live in
 * the manager; each call on their proxies is one round trip and is atomic: the manager makes one call
 * at a time on each of them. That includes the default methods of {@code Map} and {@code List} when
 * their arguments can be sent, so
 * {@code d.merge(k, 1, (BiFunction<Integer, Integer, Integer> & Serializable) Integer::sum)} (any lambda
 * cast to a serializable type) is an atomic increment shared by every process. Values are
 * copies: {@code d.get(k).add(x)} changes a copy, unless the value is itself a proxy (store a managed
 * {@link #list()} in a managed dict, and {@code d.get(k).add(x)} is seen by every process). Views and
 * iterators ({@code keySet()}, {@code iterator()}) are live proxies to the manager's views; their map
 * entries are snapshots. A dict keeps its keys in insertion order, as Python's does.
 *
 * <p><b>Queues</b>: {@link #queue()} is a {@link BlockingQueue} in the manager (a
 * {@link LinkedBlockingQueue}); a blocked {@code take()} holds up only its caller, and fails at once
 * with {@link EOFError} if the manager dies. {@link #joinableQueue()} is a {@link JoinableQueue} that the
 * manager's process created and serves: when the manager dies, it fails as any {@link Queue} whose
 * serving process is gone ({@link ProcessError}).
 *
 * <p><b>Synchronisation objects</b> ({@link #lock()}, {@link #rlock()}, {@link #semaphore(int)},
 * {@link #boundedSemaphore(int)}, {@link #condition()}, {@link #event()}, {@link #barrier(int)}) are this
 * library's shared-memory objects, created in the manager's process: what a caller gets is the object
 * itself (a serializable handle), not a proxy, so acquiring and releasing cost no round trip. The
 * manager keeps them until it shuts down; processes that already hold one keep using it after that.
 *
 * <p>{@link #shutdown()}/{@link #close()} stop the manager's process; try-with-resources does it.
 */
public final class Manager implements AutoCloseable {
    private final BaseManager base;

    private Manager(BaseManager base) {
        this.base = base;
    }

    /**
     * Starts a manager's process (on this machine, with this process tree's authkey) and returns once it
     * listens.
     *
     * @throws ProcessError if it could not start
     */
    public static Manager start() {
        BaseManager b = new BaseManager();
        b.setKind("Manager");
        b.add(new TypeSpec("dict", a -> new LinkedHashMap<>(), Map.class, List.of(), TypeSpec.Kind.PROXY_SYNCHRONIZED));
        b.add(new TypeSpec("list", a -> new ArrayList<>(), List.class, List.of(), TypeSpec.Kind.PROXY_SYNCHRONIZED));
        b.add(new TypeSpec("Namespace", a -> new NamespaceObject(), Namespace.class, List.of(),
                TypeSpec.Kind.PROXY_SYNCHRONIZED));
        b.add(new TypeSpec("Queue", a -> new LinkedBlockingQueue<>((Integer) a[0] > 0 ? (Integer) a[0] : Integer.MAX_VALUE),
                BlockingQueue.class, List.of(), TypeSpec.Kind.PROXY));
        b.add(new TypeSpec("JoinableQueue", a -> new JoinableQueue<>((Integer) a[0]), null, List.of(), TypeSpec.Kind.HANDLE));
        b.add(new TypeSpec("Lock", a -> new Lock(), null, List.of(), TypeSpec.Kind.HANDLE));
        b.add(new TypeSpec("RLock", a -> new RLock(), null, List.of(), TypeSpec.Kind.HANDLE));
        b.add(new TypeSpec("Semaphore", a -> new Semaphore((Integer) a[0]), null, List.of(), TypeSpec.Kind.HANDLE));
        b.add(new TypeSpec("BoundedSemaphore", a -> new BoundedSemaphore((Integer) a[0]), null, List.of(),
                TypeSpec.Kind.HANDLE));
        b.add(new TypeSpec("Condition", a -> a.length == 0 ? new Condition()
                : a[0] instanceof Lock l ? new Condition(l) : new Condition((RLock) a[0]), null, List.of(),
                TypeSpec.Kind.HANDLE));
        b.add(new TypeSpec("Event", a -> new Event(), null, List.of(), TypeSpec.Kind.HANDLE));
        b.add(new TypeSpec("Barrier", a -> new Barrier((Integer) a[0]), null, List.of(), TypeSpec.Kind.HANDLE));
        b.add(new TypeSpec("Value", Manager::newValue, null, List.of(), TypeSpec.Kind.HANDLE));
        b.add(new TypeSpec("Array", Manager::newArray, null, List.of(), TypeSpec.Kind.HANDLE));
        b.add(new TypeSpec("Pool", a -> new Pool((Integer) a[0]), java.util.concurrent.ExecutorService.class, List.of(),
                TypeSpec.Kind.PROXY));
        b.start();
        return new Manager(b);
    }

    /** A new, empty dict (Python's {@code dict()}): a {@code Map} that keeps insertion order. */
    @SuppressWarnings("unchecked")
    public <K, V> Map<K, V> dict() {
        return base.create("dict", Map.class);
    }

    /** A new dict holding the entries of {@code initial}, which travel by value. */
    public <K, V> Map<K, V> dict(Map<? extends K, ? extends V> initial) {
        Map<K, V> d = dict();
        d.putAll(new LinkedHashMap<>(initial));
        return d;
    }

    /** A new, empty list. */
    @SuppressWarnings("unchecked")
    public <E> List<E> list() {
        return base.create("list", List.class);
    }

    /** A new list holding the elements of {@code initial}, which travel by value. */
    public <E> List<E> list(java.util.Collection<? extends E> initial) {
        List<E> l = list();
        l.addAll(new ArrayList<>(initial));
        return l;
    }

    /** A new, empty {@link Namespace}. */
    public Namespace namespace() {
        return base.create("Namespace", Namespace.class);
    }

    /** A new unbounded queue. */
    public <E> BlockingQueue<E> queue() {
        return queue(0);
    }

    /** A new queue of at most {@code maxsize} items; 0 or less is unbounded, as in Python. */
    @SuppressWarnings("unchecked")
    public <E> BlockingQueue<E> queue(int maxsize) {
        return base.create("Queue", BlockingQueue.class, maxsize);
    }

    /** A new unbounded {@link JoinableQueue}, created and served by the manager's process. */
    public <E> JoinableQueue<E> joinableQueue() {
        return joinableQueue(0);
    }

    /** A new {@link JoinableQueue} of at most {@code maxsize} items, created and served by the manager's process. */
    @SuppressWarnings("unchecked")
    public <E> JoinableQueue<E> joinableQueue(int maxsize) {
        return base.create("JoinableQueue", JoinableQueue.class, maxsize);
    }

    /** A new {@link Lock}, kept by the manager until it shuts down. */
    public Lock lock() {
        return base.create("Lock", Lock.class);
    }

    /** A new {@link RLock}, kept by the manager until it shuts down. */
    public RLock rlock() {
        return base.create("RLock", RLock.class);
    }

    /** A new {@link Semaphore} with {@code value} permits, kept by the manager until it shuts down. */
    public Semaphore semaphore(int value) {
        return base.create("Semaphore", Semaphore.class, value);
    }

    /** A new {@link BoundedSemaphore}, kept by the manager until it shuts down. */
    public BoundedSemaphore boundedSemaphore(int value) {
        return base.create("BoundedSemaphore", BoundedSemaphore.class, value);
    }

    /** A new {@link Condition} with its own {@link RLock}, kept by the manager until it shuts down. */
    public Condition condition() {
        return base.create("Condition", Condition.class);
    }

    /** A new {@link Condition} on {@code lock}, kept by the manager until it shuts down. */
    public Condition condition(Lock lock) {
        return base.create("Condition", Condition.class, lock);
    }

    /** A new {@link Condition} on {@code lock}, kept by the manager until it shuts down. */
    public Condition condition(RLock lock) {
        return base.create("Condition", Condition.class, lock);
    }

    /** A new {@link Event}, kept by the manager until it shuts down. */
    public Event event() {
        return base.create("Event", Event.class);
    }

    /** A new {@link Barrier} for {@code parties} parties, kept by the manager until it shuts down. */
    public Barrier barrier(int parties) {
        return base.create("Barrier", Barrier.class, parties);
    }

    /** A new {@link SharedInt} (Python's {@code m.Value('i', x)}), kept by the manager until it shuts down. */
    public SharedInt value(int initial) {
        return base.create("Value", SharedInt.class, initial);
    }

    /** A new {@link SharedLong}, kept by the manager until it shuts down. */
    public SharedLong value(long initial) {
        return base.create("Value", SharedLong.class, initial);
    }

    /** A new {@link SharedDouble}, kept by the manager until it shuts down. */
    public SharedDouble value(double initial) {
        return base.create("Value", SharedDouble.class, initial);
    }

    /**
     * A new {@link SharedIntArray} holding {@code values} (Python's {@code m.Array('i', values)}), kept by
     * the manager until it shuts down.
     */
    public SharedIntArray array(int[] values) {
        return base.create("Array", SharedIntArray.class, (Object) values);
    }

    /** A new {@link SharedLongArray} holding {@code values}, kept by the manager until it shuts down. */
    public SharedLongArray array(long[] values) {
        return base.create("Array", SharedLongArray.class, (Object) values);
    }

    /** A new {@link SharedDoubleArray} holding {@code values}, kept by the manager until it shuts down. */
    public SharedDoubleArray array(double[] values) {
        return base.create("Array", SharedDoubleArray.class, (Object) values);
    }

    /** A new {@link SharedByteArray} holding {@code values}, kept by the manager until it shuts down. */
    public SharedByteArray array(byte[] values) {
        return base.create("Array", SharedByteArray.class, (Object) values);
    }

    private static Object newValue(Object[] a) {
        Object x = a[0];
        if (x instanceof Integer i) {
            return Value.ofInt(i);
        }
        if (x instanceof Long l) {
            return Value.ofLong(l);
        }
        return Value.ofDouble((Double) x);
    }

    private static Object newArray(Object[] a) {
        Object x = a[0];
        if (x instanceof int[] v) {
            return Array.ofInts(v);
        }
        if (x instanceof long[] v) {
            return Array.ofLongs(v);
        }
        if (x instanceof double[] v) {
            return Array.ofDoubles(v);
        }
        return Array.ofBytes((byte[]) x);
    }

    /**
     * A {@link Pool} of {@code processes} workers that runs in the manager's process (Python's
     * {@code m.Pool(n)}), as a proxy to its {@code ExecutorService} side: {@code submit},
     * {@code invokeAll}, {@code invokeAny} of {@link SerializableCallable}s, from any process; the
     * {@code Future}s are proxies too. Its workers are the manager's children and end with it; the pool
     * lives until the manager shuts down.
     */
    public java.util.concurrent.ExecutorService pool(int processes) {
        if (processes < 1) {
            throw new IllegalArgumentException("a pool needs at least one process, not " + processes);
        }
        return base.create("Pool", java.util.concurrent.ExecutorService.class, processes);
    }

    /** Where the manager listens (a Unix socket). */
    public String address() {
        return base.address();
    }

    /**
     * Stops the manager's process and waits for it; see {@link BaseManager#shutdown()}. Closing twice is
     * allowed.
     */
    public void shutdown() {
        base.shutdown();
    }

    /** {@link #shutdown()}. */
    @Override
    public void close() {
        shutdown();
    }

    @Override
    public String toString() {
        return base.toString();
    }
}
