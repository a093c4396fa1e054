package org.multiprocessing4j;

import java.util.function.Function;

/**
 * A {@link Function} that can be sent to another JVM. A lambda written where this type is expected is
 * serializable as long as everything it captures is. It is a {@link TaskFunction} that throws no checked
 * exception, so a pool takes it too.
 *
 * @param <T> the argument type
 * @param <R> the result type
 */
@FunctionalInterface
public interface SerializableFunction<T, R> extends Function<T, R>, TaskFunction<T, R> {
}
