package org.multiprocessing4j;

import java.io.Serializable;

/**
 * The function of {@link Pool#starmap}: two arguments, serializable, free to throw checked exceptions
 * (see {@link TaskFunction}).
 *
 * @param <A> the first argument's type
 * @param <B> the second argument's type
 * @param <R> the result type
 */
@FunctionalInterface
public interface TaskBiFunction<A, B, R> extends Serializable {
    /**
     * Applies this function to one pair, in a worker.
     *
     * @throws Exception whatever the task throws: the pool hands it to the caller
     */
    R apply(A a, B b) throws Exception;
}
