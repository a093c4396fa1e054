package org.multiprocessing4j.internal.manager;

import java.io.Serializable;
import java.lang.ref.Cleaner;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicBoolean;
import org.multiprocessing4j.internal.codec.Codec;

/**
 * What a proxy does with a call (CPython's {@code BaseProxy._callmethod}): sends it to the manager
 * and returns the result or throws what the served object threw. Proxies are
 * {@link java.lang.reflect.Proxy} instances implementing the served interface.
 *
 * <ul>
 *   <li>{@code equals}, {@code hashCode} and {@code toString} are the object's, asked of the manager (so a
 *       managed map equals a map with the same entries, as maps do); two proxies to the same object are
 *       equal without asking; an object that cannot be sent to the manager is not equal to it.</li>
 *   <li>Arguments travel by value, encoded in the caller's thread; a proxy among them travels as a
 *       proxy, so a managed object stored in another stays live. A default method (say
 *       {@code Map.merge}) runs in the manager, atomically for a managed dict or list, when its arguments
 *       can be sent (a lambda cast to a {@code Serializable} type); otherwise it runs here, as the
 *       interface's default code, each step of it a call to the manager. The default methods that hand
 *       out streams and spliterators, and {@code forEach}, always run here: what they do with the
 *       elements belongs to the caller.</li>
 *   <li>In the manager's own process the call goes straight to the object.</li>
 * </ul>
 *
 * <p>A proxy connects with the key it was made with: the key of the manager or client that created it
 * (a result inherits its caller's), or the key its handle carried; a proxy received without one uses
 * {@link ManagerClient#forReceived}, looked up at each call.
 *
 * <p>A proxy is serializable: what travels is a {@link ProxyHandle}. A proxy to a result made only
 * for its caller (an iterator) releases that result in the manager when it becomes unreachable,
 * unless it was ever sent anywhere.
 */
final class ProxyHandler implements InvocationHandler, Serializable {
    private static final long serialVersionUID = 1L;
    private static final Cleaner CLEANER = Cleaner.create();

    final String address;
    final long token;
    final long id;
    final Class<?> iface;
    /** The client of the proxy's key; null for a proxy received without a key. */
    private final transient ManagerClient client;
    /** Set once the proxy has been serialized: someone else may hold it now, so it is never released. */
    private final transient AtomicBoolean sent = new AtomicBoolean();

    private ProxyHandler(ManagerClient client, String address, long token, long id, Class<?> iface) {
        this.client = client;
        this.address = address;
        this.token = token;
        this.id = id;
        this.iface = iface;
    }

    /**
     * A proxy to object {@code id} of the manager {@code token} that {@code client} reaches,
     * implementing {@code iface} and calling through {@code client}. When {@code releasable}, the object
     * is released in the manager once the proxy is unreachable and was never serialized.
     */
    static Object proxy(ManagerClient client, long token, long id, Class<?> iface, boolean releasable) {
        ProxyHandler h = new ProxyHandler(client, client.address(), token, id, iface);
        ClassLoader loader = iface.getClassLoader() != null ? iface.getClassLoader() : ProxyHandler.class.getClassLoader();
        Object p = Proxy.newProxyInstance(loader, new Class<?>[] {iface}, h);
        if (releasable) {
            CLEANER.register(p, new Release(client, id, h.sent));
        }
        return p;
    }

    /** The handler of {@code o} if it is one of our proxies, else null. */
    static ProxyHandler of(Object o) {
        if (o != null && Proxy.isProxyClass(o.getClass()) && Proxy.getInvocationHandler(o) instanceof ProxyHandler h) {
            return h;
        }
        return null;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        boolean equals = method.getDeclaringClass() == Object.class && method.getName().equals("equals");
        if (equals) {
            ProxyHandler other = of(args[0]);
            if (other != null && other.token == token && other.id == id) {
                return true; // the same object: no need to ask
            }
            if (args[0] == null) {
                return false;
            }
        }
        if (method.isDefault() && runsHere(method)) {
            return InvocationHandler.invokeDefault(proxy, method, args);
        }
        ManagerServer here = ManagerServer.local(token);
        if (here != null) {
            return here.callHere(id, method, args);
        }
        Object[] a = args == null ? new Object[0] : args;
        Codec.Encoded[] encoded = new Codec.Encoded[a.length];
        for (int i = 0; i < a.length; i++) {
            try {
                encoded[i] = Codec.encode(a[i]);
            } catch (IllegalArgumentException notSerializable) {
                if (equals) {
                    return false; // the object cannot be equal to what it cannot see
                }
                if (method.isDefault()) {
                    return InvocationHandler.invokeDefault(proxy, method, args);
                }
                throw new IllegalArgumentException("argument " + i + " of " + method.getName() + " cannot be sent"
                        + " to the manager: " + notSerializable.getMessage(), notSerializable.getCause());
            }
        }
        return client().call(token, id, method, encoded);
    }

    /** The client this proxy calls through now. */
    private ManagerClient client() {
        ManagerClient c = client;
        return c != null ? c : ManagerClient.forReceived(address);
    }

    /** A default method that works on the elements in the caller's process: streams, spliterators, forEach. */
    private static boolean runsHere(Method m) {
        Class<?> r = m.getReturnType();
        return java.util.stream.BaseStream.class.isAssignableFrom(r) || r == java.util.Spliterator.class
                || m.getName().equals("forEach");
    }

    @Override
    public String toString() {
        return "<proxy " + iface.getName() + " #" + id + " of the manager at " + address + ">";
    }

    private Object writeReplace() {
        sent.set(true);
        return new ProxyHandle(address, token, id, iface, ProxyHandle.keyToSend(client()));
    }

    /**
     * Made in a JVM that received a proxy, calling with {@code authkey} (null: see
     * {@link ManagerClient#forReceived}); never releases the object (others may hold it).
     */
    static ProxyHandler received(String address, long token, long id, Class<?> iface, byte[] authkey) {
        ManagerClient c = authkey != null ? ManagerClient.of(address, authkey) : null;
        return new ProxyHandler(c, address, token, id, iface);
    }

    /** The cleaning action of a releasable proxy; holds nothing of the proxy. */
    private record Release(ManagerClient client, long id, AtomicBoolean sent) implements Runnable {
        @Override
        public void run() {
            if (!sent.get()) {
                client.queueRelease(id);
            }
        }
    }
}
