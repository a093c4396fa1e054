package org.multiprocessing4j.internal.manager;

import java.io.Serializable;
import java.util.List;
import java.util.Set;
import org.multiprocessing4j.SerializableFunction;

/**
 * A type a manager can create (Python's {@code BaseManager.register}): what makes one, and how it is
 * handed out. Travels to the manager's process inside its task.
 *
 * @param typeId       the name clients create it by
 * @param factory      makes a new object, in the manager's process, from the arguments of the create
 * @param iface        the interface its proxies implement; null for a {@link Kind#HANDLE}
 * @param exposed      the methods a proxy may call, by name; empty for all of the interface's
 * @param kind         how clients get to it
 */
public record TypeSpec(String typeId, SerializableFunction<Object[], ?> factory, Class<?> iface, List<String> exposed,
                       Kind kind) implements Serializable {

    /** How a created object reaches its clients. */
    public enum Kind {
        /** Stays in the manager; clients get proxies; methods are called from several threads at once. */
        PROXY,
        /** As {@link #PROXY}, but one call at a time on the object and on what its methods hand out. */
        PROXY_SYNCHRONIZED,
        /**
         * An object that is itself a serializable handle to something shared (a {@code Lock}, a
         * {@code JoinableQueue}): the manager keeps it, and closes it at shutdown if it is
         * {@link AutoCloseable}; clients get the handle.
         */
        HANDLE
    }

    public TypeSpec {
        exposed = List.copyOf(exposed);
    }

    /** The exposed names, or null when every method of the interface is. */
    Set<String> exposedOrNull() {
        return exposed.isEmpty() ? null : Set.copyOf(exposed);
    }
}
