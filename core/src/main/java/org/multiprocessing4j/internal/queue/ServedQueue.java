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
    private long reserved;   // guarded by lock: room reserved for the streams of producers in other JVMs (see reserve)

    ServedQueue(int maxsize, boolean joinable) {
        this.maxsize = maxsize;
        this.joinable = joinable;
    }

    // ---- QueueAccess, for handles in this JVM ------------------------------------------------------

    @Override
    public boolean put(Object value, long timeoutNanos) throws InterruptedException {
        Object item = Items.fromValue(value);
        lock.lockInterruptibly();
        try {
            if (awaitWhile(this::full, notFull, timeoutNanos, null) != Boolean.TRUE) {
                return false;
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

    /** Under the lock: no room, counting the items lent and the room reserved as the queue's own. */
    private boolean full() {
        return maxsize > 0 && free() <= 0;
    }

    /** Under the lock, for a bounded queue: the room neither held, lent nor reserved. */
    private long free() {
        return maxsize - items.size() - lent - reserved;
    }

    /**
     * Reserves room for a producer's stream to a bounded queue (see {@link QueueProtocol#ROOM}),
     * waiting for some: at least one item's, at most half of what is free, so that another producer
     * finds room too. The number reserved, 0 on timeout, -1 when the client went away while waiting.
     * The stream's items then go in with {@link #putAll}; what it does not use, {@link #release}.
     */
    long reserve(long timeoutNanos, SocketTransport client) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            Boolean room = awaitWhile(this::full, notFull, timeoutNanos, client);
            if (room != Boolean.TRUE) {
                return room == null ? -1 : 0;
            }
            long n = Math.max(1, free() / 2);
            reserved += n;
            if (!full()) {
                notFull.signal(); // the rest is still free for another producer
            }
            return n;
        } finally {
            lock.unlock();
        }
    }

    /** Frees room reserved for a stream that has ended without using it. */
    void release(long n) {
        if (n <= 0) {
            return;
        }
        lock.lock();
        try {
            reserved -= n;
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Adds items a producer streamed, never waiting: to a bounded queue, they go into room
     * {@linkplain #reserve reserved} for them.
     */
    void putAll(List<Object> batch) {
        if (batch.isEmpty()) {
            return;
        }
        lock.lock();
        try {
            if (maxsize > 0) {
                reserved -= batch.size();
            }
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

    /** Whether the queue has a bound, so that its streams put only into room reserved for them. */
    boolean bounded() {
        return maxsize > 0;
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
