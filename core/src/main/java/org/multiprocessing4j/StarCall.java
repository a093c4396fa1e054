package org.multiprocessing4j;

import java.util.Map;

/**
 * What {@link Pool#starmap} sends: its function, applied to a pair ({@link Args}). Classes, not a lambda
 * or records, so that a worker reads them without spinning a class or building method handles.
 *
 * @param <R> the result type
 */
final class StarCall<R> implements TaskFunction<StarCall.Args, R> {
    private static final long serialVersionUID = 1L;

    private final TaskBiFunction<Object, Object, ? extends R> fn;

    /** Each pair's values are of the types {@code fn} takes: {@link Pool#starmap}'s signature says so. */
    @SuppressWarnings("unchecked")
    StarCall(TaskBiFunction<?, ?, ? extends R> fn) {
        this.fn = (TaskBiFunction<Object, Object, ? extends R>) fn;
    }

    @Override
    public R apply(Args args) throws Exception {
        return fn.apply(args.first, args.second);
    }

    /** One pair of arguments, taken from a {@link Map.Entry}, which need not be serializable itself. */
    static final class Args implements java.io.Serializable {
        private static final long serialVersionUID = 1L;

        @SuppressWarnings("serial") // the pool checks that what it sends serializes
        private final Object first;
        @SuppressWarnings("serial")
        private final Object second;

        Args(Map.Entry<?, ?> pair) {
            this.first = pair.getKey();
            this.second = pair.getValue();
        }
    }
}
