package org.multiprocessing4j.internal.queue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import org.multiprocessing4j.internal.wait.Deadline;
import org.multiprocessing4j.internal.wire.RawFrames;
import org.multiprocessing4j.internal.wire.SocketTransport;

/**
 * One queue in the JVM that serves it: its items (see {@link Items}), its bound, and for a joinable
 * queue the count of unfinished tasks. The {@link QueueServer} calls it for other processes; handles
 * in this JVM call it directly.
 *
 * <p>A wait on behalf of another process is given a {@code client}: it waits in slices and gives up,
 * taking or adding nothing, when that client's connection has closed, so a consumer killed while it
 * waited takes no item with it.
 */
public final class ServedQueue implements QueueAccess {
    private static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final int maxsize;
    private final boolean joinable;
    private final ArrayDeque<Object> items = new ArrayDeque<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition notFull = lock.newCondition();
    private final Condition allDone = lock.newCondition();
    private long unfinished; // guarded by lock
    private long lent;       // guarded by lock: items lent to consumers in other JVMs (see lend)

    ServedQueue(int maxsize, boolean joinable) {
        this.maxsize = maxsize;
        this.joinable = joinable;
    }

    // ---- QueueAccess, for handles in this JVM ------------------------------------------------------

    @Override
    public boolean put(Object value, long timeoutNanos) throws InterruptedException {
        return put(Items.fromValue(value), timeoutNanos, null);
    }

    @Override
    public Object get(long timeoutNanos) throws InterruptedException {
        Object item = take(timeoutNanos);
        return item == null ? null : Items.toValue(item);
    }

    @Override
    public void taskDone() {
        if (!markDone()) {
            throw new IllegalStateException("taskDone() called too many times");
        }
    }

    @Override
    public boolean join(long timeoutNanos) throws InterruptedException {
        return join(timeoutNanos, null);
    }

    @Override
    public void flush() {
        // puts in this JVM are in the queue when they return
    }

    @Override
    public void cancelFlush() {
        // nothing is ever pending
    }

    // ---- for the server ---------------------------------------------------------------------------

    /** True if added, false on timeout, null if the client went away while waiting. */
    Boolean put(Object item, long timeoutNanos, SocketTransport client) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            Boolean room = awaitWhile(() -> maxsize > 0 && items.size() + lent >= maxsize, notFull, timeoutNanos, client);
            if (room != Boolean.TRUE) {
                return room;
            }
            items.addLast(item);
            if (joinable) {
                unfinished++;
            }
            notEmpty.signal();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Adds items streamed by a producer, never waiting: only unbounded queues take streamed puts. */
    void putAll(List<Object> batch) {
        lock.lock();
        try {
            items.addAll(batch);
            if (joinable) {
                unfinished += batch.size();
            }
            if (batch.size() == 1) {
                notEmpty.signal();
            } else {
                notEmpty.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** The oldest item as the queue holds it (see {@link Items}), for a get in this JVM; null on timeout. */
    Object take(long timeoutNanos) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            if (awaitWhile(items::isEmpty, notEmpty, timeoutNanos, null) != Boolean.TRUE) {
                return null;
            }
            Object item = items.pollFirst();
            if (maxsize > 0) {
                notFull.signal();
            }
            return item;
        } finally {
            lock.unlock();
        }
    }

    /**
     * For a consumer in another JVM: the oldest item, taken, and up to {@code max - 1} more, lent until
     * {@link #acknowledge}d or given back (see {@link QueueProtocol#TAKES}). So that no consumer starves
     * another: at most half of the items there (but always one), at most {@code max}, and beyond the
     * first no more than {@code maxBytes} of them in all (see {@link Items#sizeOf}). Empty on timeout or
     * when the client went away while waiting.
     */
    List<Object> lend(long timeoutNanos, SocketTransport client, int max, long maxBytes) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            if (awaitWhile(items::isEmpty, notEmpty, timeoutNanos, client) != Boolean.TRUE) {
                return List.of();
            }
            int n = Math.max(1, Math.min(max, items.size() / 2));
            List<Object> out = new ArrayList<>(n);
            long bytes = 0;
            while (out.size() < n) {
                long size = Items.sizeOf(items.peekFirst());
                if (!out.isEmpty() && bytes + size > maxBytes) {
                    break;
                }
                out.add(items.pollFirst());
                bytes += size;
            }
            lent += out.size() - 1;
            if (maxsize > 0) {
                notFull.signalAll();
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    /** {@code n} lent items were handed to the user. */
    void acknowledge(int n) {
        lock.lock();
        try {
            lent -= n;
            if (maxsize > 0) {
                notFull.signalAll(); // their room was kept for them
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Items that were never handed to a user, back at the head of the queue, in their order: lent ones,
     * and the first {@code taken} of them taken ones (a reply that could not be sent).
     */
    void giveBack(List<Object> returned, int taken) {
        if (returned.isEmpty()) {
            return;
        }
        lock.lock();
        try {
            for (int i = returned.size() - 1; i >= 0; i--) {
                items.addFirst(returned.get(i));
            }
            lent -= returned.size() - taken;
            notEmpty.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long size() {
        lock.lock();
        try {
            return items.size();
        } finally {
            lock.unlock();
        }
    }

    boolean markDone() {
        lock.lock();
        try {
            if (unfinished <= 0) {
                return false;
            }
            if (--unfinished == 0) {
                allDone.signalAll();
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    Boolean join(long timeoutNanos, SocketTransport client) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            return awaitWhile(() -> unfinished > 0, allDone, timeoutNanos, client);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Under the lock: waits on {@code condition} while {@code blocked} holds. True once it does not,
     * false when the timeout passed first, null when the client went away (see {@link #await}).
     */
    private static Boolean awaitWhile(BooleanSupplier blocked, Condition condition, long timeoutNanos,
                                      SocketTransport client) throws InterruptedException {
        long deadline = Deadline.at(timeoutNanos);
        while (blocked.getAsBoolean()) {
            Boolean waited = await(condition, deadline, client);
            if (waited == null || !waited) {
                return waited;
            }
        }
        return true;
    }

    /**
     * Waits on {@code condition}, for another process in slices, looking between them whether its
     * client is still there (a waiting client sends nothing, so a readable connection means it closed).
     * True to look again, false when the deadline has passed, null when the client has gone.
     */
    private static Boolean await(Condition condition, long deadline, SocketTransport client) throws InterruptedException {
        long left = Deadline.remainingNanos(deadline);
        if (left <= 0) {
            return false;
        }
        if (client == null) {
            if (deadline == Deadline.NEVER) {
                condition.await();
            } else {
                condition.awaitNanos(left);
            }
            return true;
        }
        condition.awaitNanos(Math.min(left, SLICE_NANOS));
        return RawFrames.poll(client) ? null : Boolean.TRUE;
    }
}
