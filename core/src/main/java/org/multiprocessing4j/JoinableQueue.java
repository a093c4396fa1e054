package org.multiprocessing4j;

import java.time.Duration;
import org.multiprocessing4j.internal.wait.Deadline;

/**
 * A {@link Queue} that counts unfinished tasks, Python's {@code multiprocessing.JoinableQueue}: every
 * put adds one, {@link #taskDone()} removes one, and {@link #join()} waits until none is left.
 * Everything else, the serving process's death and {@code close()} included, is as for {@link Queue}.
 *
 * @param <E> the type of the items
 */
public class JoinableQueue<E> extends Queue<E> {
    private static final long serialVersionUID = 1L;

    /** An unbounded joinable queue. */
    public JoinableQueue() {
        this(0);
    }

    /** A joinable queue of at most {@code maxsize} items; 0 or less is unbounded. */
    public JoinableQueue(int maxsize) {
        super(maxsize, true);
    }

    /**
     * Says that a task taken from the queue is done. In a process other than the serving one, while this
     * process has taken more items than it marked done, the mark is sent without waiting for a reply (a
     * later {@link #join} of this process sees it); otherwise it is one round trip.
     *
     * @throws IllegalStateException if called more times than items were put (a surplus mark of a
     *     process whose items another process marked done is dropped instead)
     */
    public void taskDone() {
        checkOpen();
        access().taskDone();
    }

    /**
     * Waits until every item put has been taken and marked done with {@link #taskDone()}.
     *
     * @throws ProcessError if interrupted (the interrupt flag is restored)
     */
    public void join() {
        join(null);
    }

    /**
     * Waits until every task is done, or up to {@code timeout} (null: for ever; negative is zero).
     *
     * @return true if every task is done
     */
    public boolean join(Duration timeout) {
        checkOpen();
        long nanos = Deadline.timeoutNanos(timeout);
        try {
            return access().join(nanos);
        } catch (InterruptedException e) {
            throw ProcessError.interrupted("join", e);
        }
    }
}
