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
 * <p>The input is read lazily, by {@code hasNext()} and {@code next()}, in the thread that reads the
 * results, which may therefore block in the input too. Read it from one thread; it is not thread-safe.
 * Unlike Python's, whose {@code imap} takes its whole input at the call, a pool shut down before the
 * input is used up takes no more of it: the {@code next()} or {@code hasNext()} that needs more input
 * throws {@link IllegalStateException}, so read the results before {@link Pool#shutdown()} (or
 * {@link Pool#close()}). After {@link Pool#terminate()}, {@code next()} throws
 * {@link java.util.concurrent.CancellationException}. An interrupt while waiting for a result throws
 * {@link ProcessError} (the flag restored).
 *
 * <p>It is also an {@link Iterable} that can be iterated once, as {@link java.nio.file.DirectoryStream}
 * is, so that a for-each loop reads the results as Python's {@code for r in pool.imap(...)} does:
 * <pre>{@code
 * for (int count : pool.imapUnordered(Text::countWords, names)) { ... }
 * }</pre>
 *
 * @param <R> the type of the results
 */
public interface ResultIterator<R> extends Iterator<R>, Iterable<R> {

    /**
     * This iterator itself: the results can be read once.
     *
     * @throws IllegalStateException if called a second time
     */
    @Override
    Iterator<R> iterator();

    /**
     * The next result, waiting up to {@code timeout} for it (null: for ever; negative is zero).
     *
     * @throws TimeoutException if it did not come in time (Python's {@code multiprocessing.TimeoutError});
     *     the iterator stays usable
     * @throws NoSuchElementException if there are no more results
     */
    R next(Duration timeout) throws TimeoutException;
}
