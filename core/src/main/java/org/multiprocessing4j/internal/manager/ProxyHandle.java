package org.multiprocessing4j.internal.manager;

import java.io.Serializable;
import org.multiprocessing4j.internal.launch.Spawning;

/**
 * A proxy as it travels: the manager's address and token, the object's id and the interface (CPython's
 * {@code Token}). The receiving JVM makes a proxy of it that connects on its first call.
 *
 * <p>The authkey travels only inside a child's bootstrap (see {@link Spawning}), which goes on the
 * child's private stdin like the authkey it inherits; there the proxy connects with the key it carries.
 * A proxy sent anywhere else (a queue, a pipe, another managed object, a socket to another host)
 * carries no secret, and the receiver connects with the key that last authenticated at that address
 * in its JVM, else its own process's. So a proxy handed to a child works whatever the manager's key,
 * and one sent further works where the key is known, as in Python.
 */
record ProxyHandle(String address, long token, long id, Class<?> iface, byte[] authkey) implements Serializable {

    /**
     * The key a proxy that calls through {@code client} should carry when serialized now: the client's,
     * if it is not this process's own, and only for a bootstrap.
     */
    static byte[] keyToSend(ManagerClient client) {
        return Spawning.active() ? client.keyToSend() : null;
    }

    private Object readResolve() {
        if (authkey != null) {
            ManagerClient.learnKey(address, authkey);
        }
        return ProxyHandler.received(address, token, id, iface, authkey);
    }
}
