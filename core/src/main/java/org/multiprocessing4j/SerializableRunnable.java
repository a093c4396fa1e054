package org.multiprocessing4j;

import java.io.Serializable;

/**
 * A {@link Runnable} that can be sent to another JVM. A lambda written where this type is expected is
 * serializable as long as everything it captures is.
 */
@FunctionalInterface
public interface SerializableRunnable extends Runnable, Serializable {
}
