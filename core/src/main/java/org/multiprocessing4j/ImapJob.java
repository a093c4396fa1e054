package org.multiprocessing4j;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.TimeoutException;
import org.multiprocessing4j.internal.pool.Engine;
import org.multiprocessing4j.internal.pool.Task;
import org.multiprocessing4j.internal.wait.Deadline;

/**
 * {@code imap} and {@code imapUnordered}: the input is read lazily, in the consumer's thread, never
 * more than {@code readAhead} items ahead of the results consumed; chunks are submitted as they are
 * read. An exception of the input iterator is thrown where its item's result would have been, and
 * ends the results.
 */
final class ImapJob<R> implements Engine.Job, ResultIterator<R> {
    private final Engine engine;
    private final Object fn;
    private final byte[] fnBytes;
    private final int fnId;
    private final Iterator<?> input;
    private final int chunksize;
    private final boolean ordered;
    private final int readAhead;

    // read and submitted by the consumer's thread only
    private int submitted;              // chunks submitted
    private boolean inputDone;
    private RuntimeException inputError; // thrown in place of chunk number 'submitted'
    // guarded by this: outcomes arrive from reader threads
    private final Map<Integer, Outcome> byIndex = new HashMap<>();
    private final ArrayDeque<Outcome> byArrival = new ArrayDeque<>();
    private int inFlightItems;
    private int delivered;              // chunks handed to the consumer
    private Iterator<Object> current;   // the chunk being handed out
    private boolean iterated;           // iterator() was called
    private final List<Integer> chunkSizes = new ArrayList<>(); // by chunk index

    private record Outcome(int index, List<Object> values, Throwable error) {
    }

    ImapJob(Engine engine, Object fn, byte[] fnBytes, int fnId, Iterator<?> input, int chunksize, boolean ordered,
            int readAhead) {
        this.engine = engine;
        this.fn = fn;
        this.fnBytes = fnBytes;
        this.fnId = fnId;
        this.input = input;
        this.chunksize = chunksize;
        this.ordered = ordered;
        this.readAhead = readAhead;
        topUp(); // the work starts now, as in Python
    }

    @Override
    public synchronized Iterator<R> iterator() {
        if (iterated) {
            throw new IllegalStateException("the results of imap can be iterated once; iterator() was called before");
        }
        iterated = true;
        return this;
    }

    /** Reads and submits input while fewer than readAhead items are in flight. Consumer's thread. */
    private void topUp() {
        while (!inputDone) {
            synchronized (this) {
                if (inFlightItems > 0 && inFlightItems + chunksize > readAhead) {
                    return;
                }
            }
            List<Object> chunk = new ArrayList<>(chunksize);
            try {
                while (chunk.size() < chunksize && input.hasNext()) {
                    chunk.add(input.next());
                }
                if (chunk.size() < chunksize) {
                    inputDone = true;
                }
            } catch (RuntimeException e) {
                inputDone = true;
                if (chunk.isEmpty()) {
                    inputError = e;
                    return;
                }
                submit(chunk);
                inputError = e;
                return;
            }
            if (!chunk.isEmpty()) {
                submit(chunk);
            }
        }
    }

    private void submit(List<Object> chunk) {
        Task t = engine.mapTask(this, submitted, fnId, fn, fnBytes, chunk, null);
        synchronized (this) {
            inFlightItems += chunk.size();
            chunkSizes.add(chunk.size());
        }
        submitted++;
        engine.submit(List.of(t));
    }

    @Override
    public void done(Task t, List<Object> results) {
        arrive(new Outcome(t.index(), results, null));
    }

    @Override
    public void failed(Task t, Throwable error) {
        arrive(new Outcome(t.index(), null, error));
    }

    private synchronized void arrive(Outcome o) {
        if (ordered) {
            byIndex.put(o.index(), o);
        } else {
            byArrival.addLast(o);
        }
        notifyAll();
    }

    private boolean errorThrown; // consumer's thread

    @Override
    public boolean hasNext() {
        if (current != null && current.hasNext()) {
            return true;
        }
        topUp();
        synchronized (this) {
            return delivered < submitted || inputError != null && delivered == submitted && !errorThrown;
        }
    }

    @Override
    public R next() {
        try {
            return next(null);
        } catch (TimeoutException e) {
            throw new IllegalStateException("cannot happen: no timeout", e);
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public R next(Duration timeout) throws TimeoutException {
        long deadline = Deadline.at(timeout);
        while (true) {
            if (current != null && current.hasNext()) {
                return (R) current.next();
            }
            current = null;
            topUp();
            Outcome o;
            synchronized (this) {
                if (delivered == submitted) {
                    if (inputError != null && !errorThrown) {
                        errorThrown = true;
                        throw inputError;
                    }
                    throw new NoSuchElementException("no more results");
                }
                while ((o = ordered ? byIndex.remove(delivered) : byArrival.pollFirst()) == null) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new TimeoutException("the next result did not come in " + timeout);
                    }
                    try {
                        if (deadline == Long.MAX_VALUE) {
                            wait();
                        } else {
                            wait(Math.max(1, left / 1_000_000));
                        }
                    } catch (InterruptedException e) {
                        throw ProcessError.interrupted("waiting for the next result", e);
                    }
                }
                delivered++;
                inFlightItems -= chunkSizes.get(o.index());
            }
            if (o.error() != null) {
                throw AsyncResult.rethrowable(o.error());
            }
            current = o.values().iterator();
        }
    }
}
