package org.multiprocessing4j;

import java.io.Serializable;
import java.util.function.Supplier;

/**
 * A {@link Supplier} that can be sent to another JVM. A lambda written where this type is expected is
 * serializable as long as everything it captures is.
 *
 * @param <T> the result type
 */
@FunctionalInterface
public interface SerializableSupplier<T> extends Supplier<T>, Serializable {
}
