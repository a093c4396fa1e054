package org.multiprocessing4j;

import java.io.Serializable;
import java.util.concurrent.Callable;

/**
 * A {@link Callable} that can be sent to another JVM. A lambda written where this type is expected is
 * serializable as long as everything it captures is.
 *
 * @param <V> the result type
 */
@FunctionalInterface
public interface SerializableCallable<V> extends Callable<V>, Serializable {
}
