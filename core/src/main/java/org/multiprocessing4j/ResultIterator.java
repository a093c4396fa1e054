package org.multiprocessing4j;

import java.time.Duration;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.TimeoutException;

/**
 * The results of {@link Pool#imap} or {@link Pool#imapUnordered}, as they come. {@link #next()} blocks
 * until the next result is there; a task's exception is thrown by the {@code next()} that would have
 * returned its result (unchecked as itself, checked inside a {@link RemoteException}), and so is an
 * exception of the input iterator, at its position.
 *
 * @param <R> the type of the results
 */
public interface ResultIterator<R> extends Iterator<R> {

    /**
     * The next result, waiting up to {@code timeout} for it (null: for ever; negative is zero).
     *
     * @throws TimeoutException if it did not come in time (Python's {@code multiprocessing.TimeoutError});
     *     the iterator stays usable
     * @throws NoSuchElementException if there are no more results
     */
    R next(Duration timeout) throws TimeoutException;
}
