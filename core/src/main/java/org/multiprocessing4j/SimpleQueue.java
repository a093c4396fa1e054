package org.multiprocessing4j;

/**
 * An unbounded {@link Queue}, Python's {@code multiprocessing.SimpleQueue}: {@code put}, {@code get},
 * {@code empty}, {@code close}, and the rest of {@code BlockingQueue}. It has no feeder thread: in a
 * process other than the one that created it, a put returns once its item is written to the socket,
 * so the item survives even a SIGKILL of the producer right after; each put is one write.
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
