package org.multiprocessing4j;

import java.io.Serializable;

/**
 * The function a {@link Pool} applies to each item ({@code map}, {@code imap}, {@code imapUnordered}):
 * serializable, and free to throw checked exceptions, so that
 * {@code pool.map(p -> Files.readString(Path.of(p)), paths)} compiles as its Python twin would run. A
 * task's unchecked exception comes back to the caller as itself, a checked one inside a
 * {@link RemoteException} (see {@link Pool}). Every {@link SerializableFunction} is one.
 *
 * @param <T> the argument type
 * @param <R> the result type
 */
@FunctionalInterface
public interface TaskFunction<T, R> extends Serializable {
    /**
     * Applies this function to one item, in a worker.
     *
     * @throws Exception whatever the task throws: the pool hands it to the caller
     */
    R apply(T t) throws Exception;
}
