package org.multiprocessing4j;

import java.io.Serializable;
import java.util.function.Consumer;

/**
 * A {@link Consumer} that can be sent to another JVM. A lambda written where this type is expected is
 * serializable as long as everything it captures is.
 *
 * @param <T> the argument type
 */
@FunctionalInterface
public interface SerializableConsumer<T> extends Consumer<T>, Serializable {
}
