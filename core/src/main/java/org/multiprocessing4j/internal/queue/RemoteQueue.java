package org.multiprocessing4j.internal.queue;

import java.io.IOException;
import java.util.function.Supplier;
import org.multiprocessing4j.ProcessError;
import org.multiprocessing4j.internal.codec.Codec;

/**
 * A queue served by another process. Puts are streamed by this JVM's {@link Feeder} for the queue (to
 * a bounded queue, into room reserved several items a round trip), gets come through its
 * {@link Taker}, several items a round trip when the queue holds many; everything else is one round
 * trip on a pooled request connection
 * ({@link QueueClient}). Before a request that must see this JVM's own puts (the size, a join, a get
 * that does not wait) the feeder is synced, so that, unlike Python's queue, a process that put an item
 * finds it counted.
 */
final class RemoteQueue implements QueueAccess {
    private final String address;
    private final long id;
    private final int maxsize;
    private final boolean synchronousPuts;
    private volatile boolean cancelled;
    private volatile Feeder feeder; // this JVM's, once this handle has put
    private volatile Taker taker;   // this JVM's, once this handle has got
    private volatile QueueClient client; // this JVM's pool for the server, once this handle has called it

    RemoteQueue(String address, long id, int maxsize, boolean synchronousPuts) {
        this.address = address;
        this.id = id;
        this.maxsize = maxsize;
        this.synchronousPuts = synchronousPuts;
    }

    @Override
    public boolean put(Object item, long timeoutNanos) throws InterruptedException {
        Codec.Encoded e = Codec.encode(item); // a bad item fails here, and nothing was sent
        Feeder f = feeder;
        if (f == null || f.isBroken()) {
            feeder = f = Feeder.of(address, id, synchronousPuts, maxsize > 0);
            if (cancelled) {
                f.cancel();
            }
        }
        return f.put(e.tag(), e.body(), e.body() == item, timeoutNanos);
    }

    @Override
    public Object get(long timeoutNanos) throws InterruptedException {
        if (timeoutNanos == 0) {
            sync();
        }
        Codec.Encoded item = interruptible(() -> taker().take(timeoutNanos));
        if (item == null) {
            return null;
        }
        try {
            return Codec.decode(item.tag(), item.body());
        } catch (IOException | ClassNotFoundException | RuntimeException ex) {
            throw new ProcessError("cannot read the item taken from the queue: " + ex, ex);
        }
    }

    /** The items in the queue, and those lent to this JVM that its gets have not handed out yet. */
    @Override
    public long size() throws InterruptedException {
        sync();
        long lentHere = Taker.lentHere(address, id);
        return interruptible(() -> client().size(id)).asLong() + lentHere;
    }

    @Override
    public void taskDone() {
        if (!Taker.taskDoneAhead(address, id)) {
            client().taskDone(id);
        }
    }

    @Override
    public boolean join(long timeoutNanos) throws InterruptedException {
        sync();
        interruptible(() -> {
            Taker.syncDone(address, id);
            return null;
        });
        return interruptible(() -> client().join(id, timeoutNanos)).ok();
    }

    @Override
    public void flush() throws InterruptedException {
        Feeder f = Feeder.ifPresent(address, id, synchronousPuts);
        if (f != null) {
            f.flush();
        }
    }

    @Override
    public void cancelFlush() {
        cancelled = true;
        Feeder f = Feeder.ifPresent(address, id, synchronousPuts);
        if (f != null) {
            f.cancel();
        }
    }

    private void sync() throws InterruptedException {
        Feeder f = Feeder.ifPresent(address, id, synchronousPuts);
        if (f != null) {
            f.sync();
        }
    }

    /** This JVM's taker of the queue, looked up once per handle, as the feeder is: a get is a hot path. */
    private Taker taker() {
        Taker t = taker;
        if (t == null || t.isBroken()) {
            taker = t = Taker.of(address, id);
        }
        return t;
    }

    private QueueClient client() {
        QueueClient c = client;
        if (c == null) {
            client = c = QueueClient.of(address); // looked up once: a get is on a cold child's hot path
        }
        return c;
    }

    /** A call that an interrupt may end: the interrupt comes back as InterruptedException, the flag cleared. */
    private static <T> T interruptible(Supplier<T> call) throws InterruptedException {
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
