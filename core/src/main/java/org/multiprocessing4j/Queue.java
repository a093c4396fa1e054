package org.multiprocessing4j;

import java.io.IOException;
import java.io.Serializable;
import java.time.Duration;
import java.util.AbstractQueue;
import java.util.Collection;
import java.util.Iterator;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.multiprocessing4j.internal.codec.Codec;
import org.multiprocessing4j.internal.queue.QueueClient;
import org.multiprocessing4j.internal.queue.QueueServer;

/**
 * A FIFO queue shared by processes, Python's {@code multiprocessing.Queue}, and a {@link BlockingQueue}.
 *
 * <p>Any number of processes may put and get at once; items from one producer arrive in the order it
 * put them, and every item is delivered once. A queue is a serializable handle: capture it in a
 * {@link Process} target or send it through a {@link Connection}, and it works there. The JVM that
 * created the queue serves it; the queue lives as long as that JVM.
 *
 * <p>Unlike Python's queue there is no feeder thread: an item is in the queue when {@link #put} returns.
 * So a process that puts items and exits never loses them, and joining it before the queue is drained
 * never deadlocks (gh-73983); {@link #joinThread()} and {@link #cancelJoinThread()} have nothing to do.
 * An item that cannot be serialized fails the put at the call, naming its class, and the queue is left
 * as it was (bpo-30414). A producer or a consumer killed in the middle of an operation leaves the queue
 * usable for everyone else; a consumer killed while it waited takes no item with it.
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
 * gone, every operation throws {@link ProcessError}.
 *
 * @param <E> the type of the items
 */
public class Queue<E> extends AbstractQueue<E> implements BlockingQueue<E>, Serializable, AutoCloseable {
    private static final long serialVersionUID = 1L;

    private final String address;
    private final long id;
    private final int maxsize;
    private transient volatile boolean closed;

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
     * Removes and returns the oldest item, waiting up to {@code timeout} for one.
     *
     * @throws java.util.NoSuchElementException if none came in time (Python's {@code queue.Empty})
     */
    public E get(Duration timeout) {
        E e;
        try {
            e = poll(Math.max(0, Process.saturatedNanos(timeout)), TimeUnit.NANOSECONDS);
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
     * Python's {@code close()}: this handle puts and gets no more. Other handles of the queue, in this
     * process and in others, are unaffected. Closing twice is allowed.
     */
    @Override
    public void close() {
        closed = true;
    }

    /** Nothing to wait for: puts are complete when they return. */
    public void joinThread() {
    }

    /** Nothing to cancel: puts are complete when they return. */
    public void cancelJoinThread() {
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
        return (int) Math.min(Integer.MAX_VALUE, client().size(id).asLong());
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

    QueueClient client() {
        return QueueClient.of(address);
    }

    void checkOpen() {
        if (closed) {
            throw new IllegalStateException("queue is closed");
        }
    }

    private boolean putItem(E e, long timeoutNanos) throws InterruptedException {
        Objects.requireNonNull(e, "a BlockingQueue holds no null elements; use a sentinel object");
        checkOpen();
        Codec.Encoded encoded = Codec.encode(e); // a bad item fails here, and nothing was sent
        return interruptible(() -> client().put(id, encoded.tag(), encoded.body(), timeoutNanos)).ok();
    }

    @SuppressWarnings("unchecked")
    private E getItem(long timeoutNanos) throws InterruptedException {
        checkOpen();
        QueueClient.Reply reply = interruptible(() -> client().get(id, timeoutNanos));
        if (!reply.ok()) {
            return null;
        }
        byte[] item = reply.body();
        byte[] body = new byte[item.length - 1];
        System.arraycopy(item, 1, body, 0, body.length);
        try {
            return (E) Codec.decode(item[0], body);
        } catch (IOException | ClassNotFoundException | RuntimeException ex) {
            throw new ProcessError("cannot read the item taken from the queue: " + ex, ex);
        }
    }

    /** A call that an interrupt may end: the interrupt comes back as InterruptedException, the flag cleared. */
    static QueueClient.Reply interruptible(java.util.function.Supplier<QueueClient.Reply> call)
            throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        try {
            return call.get();
        } catch (ProcessError e) {
            if (e.getCause() instanceof InterruptedException ie) {
                Thread.interrupted();
                throw ie;
            }
            throw e;
        }
    }
}
