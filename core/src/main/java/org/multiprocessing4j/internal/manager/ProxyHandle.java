package org.multiprocessing4j.internal.manager;

import java.io.Serializable;
import org.multiprocessing4j.internal.launch.Spawning;

/**
 * A proxy as it travels: the manager's address and token, the object's id and the interface (CPython's
 * {@code Token}). The receiving JVM makes a proxy of it that connects on its first call.
 *
 * <p>The authkey travels only inside a child's bootstrap (see {@link Spawning}), which goes on the
 * child's private stdin like the authkey it inherits; a proxy sent anywhere else (a queue, a pipe,
 * another managed object, a socket to another host) carries no secret, and the receiver connects with
 * the key it knows for that address, else its own process's. So a proxy handed to a child works
 * whatever the manager's key, and one sent further works where the key is known, as in Python.
 */
record ProxyHandle(String address, long token, long id, Class<?> iface, byte[] authkey) implements Serializable {

    /** The key a proxy being serialized now should carry: a non-default key, and only for a bootstrap. */
    static byte[] keyToSend(String address) {
        return Spawning.active() ? ManagerClient.knownKey(address) : null;
    }

    private Object readResolve() {
        if (authkey != null) {
            ManagerClient.learnKey(address, authkey);
        }
        return ProxyHandler.received(address, token, id, iface);
    }
}
