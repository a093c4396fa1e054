package org.multiprocessing4j;

/**
 * An unbounded {@link Queue}, Python's {@code multiprocessing.SimpleQueue}: {@code put}, {@code get},
 * {@code empty}, {@code close}, and the rest of {@code BlockingQueue}.
 *
 * @param <E> the type of the items
 */
public class SimpleQueue<E> extends Queue<E> {
    private static final long serialVersionUID = 1L;

    /** An unbounded queue. */
    public SimpleQueue() {
        super(0);
    }
}
