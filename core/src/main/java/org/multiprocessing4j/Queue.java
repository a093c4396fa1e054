package org.multiprocessing4j;

import java.io.Serializable;
import java.time.Duration;
import java.util.AbstractQueue;
import java.util.Collection;
import java.util.Iterator;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.multiprocessing4j.internal.queue.QueueAccess;
import org.multiprocessing4j.internal.queue.QueueServer;
import org.multiprocessing4j.internal.wait.Deadline;

/**
 * A FIFO queue shared by processes, Python's {@code multiprocessing.Queue}, and a {@link BlockingQueue}.
 *
 * <p>Any number of processes may put and get at once; items from one producer arrive in the order it
 * put them, and every item is delivered once. A queue is a serializable handle: capture it in a
 * {@link Process} target or send it through a {@link Connection}, and it works there. The JVM that
 * created the queue serves it; the queue lives as long as that JVM.
 *
 * <p>In the JVM that created the queue, put and get work on it directly. In other processes a put
 * encodes its item at the call and hands it to a feeder thread, as in Python, which writes the items
 * of many puts at once. A get is one round trip, or less: a process that takes items quickly (each
 * within a millisecond) from a queue that holds many is sent several at once (at most 64, and half of
 * what the queue holds, so that other consumers have their share), which its next gets hand out. Unlike
 * Python's queue:
 * <ul>
 * <li>a process that puts items and exits (its {@code run()} returns, {@code System.exit}, an uncaught
 *     exception) first writes every item it put, and never deadlocks when its parent joins it before
 *     draining the queue (gh-73983): the serving JVM takes in every item at once, whoever consumes;
 * <li>an item that cannot be serialized fails the put at the call, naming its class, and the queue is
 *     left as it was (bpo-30414);
 * <li>a producer or a consumer killed in the middle of an operation leaves the queue usable for everyone
 *     else; a consumer killed while it waited takes no item with it, nor any of those it was sent
 *     ahead and had not yet handed out (they go back to the head of the queue); a producer killed with SIGKILL
 *     loses only the items its feeder had not yet written (the last few milliseconds' puts);
 * <li>{@link #qsize()}, {@link #empty()}, {@link #full()}, a {@link #poll()} that does not wait, and
 *     {@link JoinableQueue#join()} see every item the calling process has put.
 * </ul>
 * Items sent ahead to a consumer are not counted by {@link #qsize()} in other processes; a bounded
 * queue counts them as its own, so its producers wait for room as if they were still in it. A consumer
 * that stalls after taking items quickly keeps those sent ahead until it goes on or exits.
 * To a bounded queue, a producer in another process puts into room the serving JVM reserved for it, up
 * to half of the free room a round trip, and waits only when that is used up; room reserved and not yet
 * used counts as taken (another producer may wait while it is free), and is freed when the producer
 * exits or is killed. A {@link SimpleQueue} has no feeder thread: its put returns once the item is
 * written to the socket.
 *
 * <p>Items come out as copies, as Python's come out unpickled: in every other process, and in the serving
 * JVM too, but for strings and boxed numbers. So a poison pill compared with {@code ==} does not match
 * (a worker that waits for it runs on, and a {@code join()} on it waits for ever): make the pill an
 * {@code enum} constant, which a copy still is ({@code item == Stop.STOP}), or compare with
 * {@code equals} (a record, a string).
 *
 * <p>Null elements are refused ({@link NullPointerException}), as by every {@code BlockingQueue}: use a
 * sentinel object where Python code puts {@code None}. {@link #peek()}, {@link #iterator()} and the
 * methods built on them ({@code contains}, {@code toArray}, {@code remove(Object)} …) throw
 * {@link UnsupportedOperationException}: a queue shared by processes cannot be looked into.
 *
 * <p>Blocking: {@code take} and the timed {@code offer}/{@code poll} follow {@code BlockingQueue} (an
 * interrupt throws {@link InterruptedException}); the Python-named {@link #put}, {@link #get()} and
 * {@link #get(Duration)} are unchecked (an interrupt is a {@link ProcessError} with
 * the {@code InterruptedException} as cause, the flag restored). When the process serving the queue is
 * gone, every later operation throws {@link ProcessError}, and so does a {@link #joinThread()} whose
 * items were not all written; puts a feeder had not yet written when it went are lost (a
 * {@link SimpleQueue}'s put, written before it returns, is not). {@link #close()} ends this handle's use (its later
 * calls throw {@link IllegalStateException}); other handles, and the queue, live on.
 *
 * @param <E> the type of the items
 */
public class Queue<E> extends AbstractQueue<E> implements BlockingQueue<E>, Serializable, AutoCloseable {
    private static final long serialVersionUID = 1L;

    private final String address;
    private final long id;
    private final int maxsize;
    private transient volatile boolean closed;
    private transient volatile QueueAccess access;

    /** An unbounded queue. */
    public Queue() {
        this(0);
    }

    /** A queue of at most {@code maxsize} items; 0 or less is unbounded, as in Python. */
    public Queue(int maxsize) {
        this(maxsize, false);
    }

    Queue(int maxsize, boolean joinable) {
        QueueServer server = QueueServer.get();
        this.address = server.address();
        this.maxsize = Math.max(0, maxsize);
        this.id = server.create(this.maxsize, joinable);
    }

    // ---- Python's names ---------------------------------------------------------------------------

    /** Removes and returns the oldest item, waiting for one. Unchecked; see the class description. */
    public E get() {
        try {
            return take();
        } catch (InterruptedException e) {
            throw ProcessError.interrupted("get", e);
        }
    }

    /**
     * Removes and returns the oldest item, waiting up to {@code timeout} (not null; negative is zero)
     * for one.
     *
     * @throws java.util.NoSuchElementException if none came in time (Python's {@code queue.Empty})
     */
    public E get(Duration timeout) {
        E e;
        try {
            e = poll(Deadline.nanos(timeout), TimeUnit.NANOSECONDS);
        } catch (InterruptedException ie) {
            throw ProcessError.interrupted("get", ie);
        }
        if (e == null) {
            throw new java.util.NoSuchElementException("queue is empty");
        }
        return e;
    }

    /** The number of items; approximate while other processes put and get. */
    public int qsize() {
        return size();
    }

    /** Whether the queue is empty; approximate while other processes put and get. */
    public boolean empty() {
        return size() == 0;
    }

    /** Whether the queue is full; approximate while other processes put and get. */
    public boolean full() {
        return maxsize > 0 && size() >= maxsize;
    }

    /**
     * Python's {@code close()}: this handle puts and gets no more; its later calls throw
     * {@link IllegalStateException}. Calls already waiting on it go on, and the items this process put
     * are still written (at its exit too, unless {@link #cancelJoinThread()} was called). Other handles
     * of the queue, in this process and in others, are unaffected. Closing twice is allowed.
     */
    @Override
    public void close() {
        closed = true;
    }

    /**
     * Waits until every item this process put has been written to the queue's connection (Python's
     * {@code join_thread}, without its requirement to {@link #close()} first). Returns at once in the
     * process that created the queue, whose puts are in it when they return.
     *
     * @throws ProcessError if interrupted (the interrupt flag is restored), or if the process serving the
     *     queue is gone before every item was written: those not written are lost, and Python's
     *     {@code join_thread} would have returned as if they were not
     */
    public void joinThread() {
        try {
            access().flush();
        } catch (InterruptedException e) {
            throw ProcessError.interrupted("joinThread", e);
        }
    }

    /**
     * This process's exit no longer waits to write the items it put to the queue (Python's
     * {@code cancel_join_thread}): they may be lost. For a process that must exit even if the process
     * serving the queue has stopped reading.
     */
    public void cancelJoinThread() {
        access().cancelFlush();
    }

    // ---- BlockingQueue ----------------------------------------------------------------------------

    /**
     * Puts an item, waiting while a bounded queue is full. Python's {@code put}, so unchecked: an
     * interrupt is a {@link ProcessError} whose cause is the {@link InterruptedException} (the flag
     * restored). Through the {@code BlockingQueue} interface it keeps that interface's contract.
     */
    @Override
    public void put(E e) {
        try {
            putItem(e, -1);
        } catch (InterruptedException ie) {
            throw ProcessError.interrupted("put", ie);
        }
    }

    @Override
    public boolean offer(E e) {
        try {
            return putItem(e, 0);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public boolean offer(E e, long timeout, TimeUnit unit) throws InterruptedException {
        return putItem(e, Math.max(0, unit.toNanos(timeout)));
    }

    @Override
    public E take() throws InterruptedException {
        return getItem(-1);
    }

    @Override
    public E poll() {
        try {
            return getItem(0);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    @Override
    public E poll(long timeout, TimeUnit unit) throws InterruptedException {
        return getItem(Math.max(0, unit.toNanos(timeout)));
    }

    @Override
    public int size() {
        checkOpen();
        try {
            return (int) Math.min(Integer.MAX_VALUE, access().size());
        } catch (InterruptedException e) {
            throw ProcessError.interrupted("size", e);
        }
    }

    @Override
    public int remainingCapacity() {
        return maxsize == 0 ? Integer.MAX_VALUE : Math.max(0, maxsize - size());
    }

    @Override
    public int drainTo(Collection<? super E> c) {
        return drainTo(c, Integer.MAX_VALUE);
    }

    @Override
    public int drainTo(Collection<? super E> c, int maxElements) {
        Objects.requireNonNull(c, "c");
        if (c == this) {
            throw new IllegalArgumentException("cannot drain a queue into itself");
        }
        int n = 0;
        E e;
        while (n < maxElements && (e = poll()) != null) {
            c.add(e);
            n++;
        }
        return n;
    }

    /** Unsupported: a queue shared by processes cannot be looked into. */
    @Override
    public E peek() {
        throw new UnsupportedOperationException("a multiprocessing queue cannot be peeked at");
    }

    /** Unsupported: a queue shared by processes cannot be iterated. */
    @Override
    public Iterator<E> iterator() {
        throw new UnsupportedOperationException("a multiprocessing queue cannot be iterated");
    }

    @Override
    public String toString() {
        return "<" + getClass().getSimpleName() + " " + id + " served at " + address
                + (maxsize > 0 ? " maxsize=" + maxsize : "") + (closed ? " closed" : "") + ">";
    }

    // ---- plumbing ---------------------------------------------------------------------------------

    long id() {
        return id;
    }

    /**
     * Refuses to send this handle on when the process serving its queue has ended: what the receiver
     * put there would be lost without a word.
     */
    private void writeObject(java.io.ObjectOutputStream out) throws java.io.IOException {
        String gone = QueueAccess.whyGone(address);
        if (gone != null) {
            throw new java.io.InvalidObjectException(gone + ", and its items with it: a handle to it cannot be sent");
        }
        out.defaultWriteObject();
    }

    /** How this handle reaches its queue: directly in the serving JVM, through sockets elsewhere. */
    QueueAccess access() {
        QueueAccess a = access;
        if (a == null) {
            access = a = QueueAccess.of(address, id, maxsize, this instanceof SimpleQueue);
        }
        return a;
    }

    void checkOpen() {
        if (closed) {
            throw new IllegalStateException("queue is closed");
        }
    }

    private boolean putItem(E e, long timeoutNanos) throws InterruptedException {
        Objects.requireNonNull(e, "a BlockingQueue holds no null elements; use a sentinel object");
        checkOpen();
        return access().put(e, timeoutNanos); // a bad item fails here, and nothing was put
    }

    @SuppressWarnings("unchecked")
    private E getItem(long timeoutNanos) throws InterruptedException {
        checkOpen();
        return (E) access().get(timeoutNanos);
    }
}
