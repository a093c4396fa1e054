package org.multiprocessing4j.internal.queue;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.multiprocessing4j.ProcessError;
import org.multiprocessing4j.internal.codec.MessageReader;
import org.multiprocessing4j.internal.codec.MessageWriter;
import org.multiprocessing4j.internal.runtime.ExitActions;
import org.multiprocessing4j.internal.wait.Deadline;
import org.multiprocessing4j.internal.wire.Endpoint;
import org.multiprocessing4j.internal.wire.FrameLayout;
import org.multiprocessing4j.internal.wire.SocketTransport;

/**
 * This JVM's puts to one queue served by another process: a stream of items on a connection of their
 * own (see {@link QueueProtocol#STREAM}), which the server adds to the queue in order, without a reply
 * per item. Python's feeder thread, and the reason a put costs some tens of nanoseconds.
 *
 * <p>To a bounded queue, a put takes room the server reserved for this stream, and when there is none
 * left asks for more (a ROOM request, waiting for room as Python's put waits on the queue's semaphore):
 * one round trip per reply, which reserves up to half of the queue's free room, instead of one per item.
 * One thread at a time asks; the others wait for its answer, each within its own timeout.
 *
 * <p>Buffered (Python's {@code Queue}): a put encodes its item at the call, lays out its frame in a ring
 * and returns; a feeder thread writes what has accumulated, up to a megabyte at a time. The ring starts
 * at {@value #RING_MIN} bytes (or the first item's size), so that a process that puts a few items does
 * not pay for megabytes it never uses; the first time a put finds it full, it becomes {@value #RING_MAX}
 * bytes, and from then on a put waits while it is full, so a producer that outruns the socket does not
 * fill its heap. An item bigger than half the largest ring is written from a snapshot of its own once
 * everything before it is written. Synchronous (Python's {@code SimpleQueue}): a put writes its frame
 * itself. The put path is kept short (a monitor, plain array stores) because a new child JVM runs it
 * interpreted for its first few thousand items.
 *
 * <p>When this JVM exits normally (its {@code run()} returns, {@code System.exit}, an uncaught
 * exception), {@link #flushAll()} writes what is pending first and waits until it is in the queue, so a
 * process that puts and exits loses nothing, unless {@link #cancel()} was called. A process killed with
 * SIGKILL loses the puts not yet written (at most the last few milliseconds'); synchronous puts are never
 * lost once they returned. If the serving process is gone, the pending items are dropped and every
 * later put throws {@link ProcessError}.
 */
public final class Feeder {
    /**
     * The ring's first capacity and its largest: what may be laid out and not yet written. A JVM zeroes,
     * and so touches, every page of a new array: a ring of the largest size from the first put would
     * cost every child that puts at all 8 MiB of memory and, on the machine the library is measured on,
     * some tens of milliseconds of page faults. A ring that doubled step by step, instead of growing to the
     * largest at once, moved 10 and 100 KiB strings from a child to its parent 10-15 % slower.
     */
    static final int RING_MIN = 64 << 10, RING_MAX = 8 << 20;
    /** The socket's send buffer: the more it holds, the fewer wake-ups of the writer and the reader. */
    private static final int SOCKET_BUFFER = 4 << 20;
    /** The longest a ROOM request asks the server to wait before it is asked again. */
    private static final long ROOM_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** The most the feeder thread writes at once (less while the ring is smaller). */
    private static final int STAGE = 1 << 20;
    private static final int OBJECT_HEADER = FrameLayout.HEADER_LENGTH + 1;
    private static final Map<Stream, Feeder> FEEDERS = new ConcurrentHashMap<>();

    private final Stream key;
    private final SocketTransport transport;
    private final boolean synchronous;
    private final boolean bounded;
    private final int firstRing; // the ring's length when the first put allocates it (the first frame's, if larger)
    // All guarded by this. The ring holds bytes [written, enqueued) of the stream, each at its offset
    // modulo its length; the feeder thread waits on this for work, and puts and flushes for progress.
    private byte[] ring;                                               // allocated on the first put, grown by puts
    private long enqueued;
    private long written;
    private long lostFrom = Long.MAX_VALUE; // the first byte a failed write lost: it and all after it
    private boolean lostOversized;          // a failed write lost an item bigger than the ring
    private final ArrayList<ByteBuffer> oversized = new ArrayList<>(); // an item bigger than the ring
    private boolean idle;     // the feeder thread waits for work
    private boolean waiting;  // a put or a flush waits for progress
    private boolean dirty;    // puts sent since the last sync
    private long room;        // a bounded queue's room reserved for this stream and not yet used
    private int placing;      // puts that took room and have not laid out their item yet
    private boolean asking;   // a thread has sent a request (ROOM or SYNC) and waits for its reply
    private int syncing;      // syncs waiting for their turn to ask, which go before a ROOM request
    private boolean roomReplyDue; // a ROOM request's reply, left unread by a put that was interrupted
    private IOException failure;
    private Thread thread;
    private volatile boolean cancelled;
    private volatile boolean broken;

    private Feeder(Stream key, SocketTransport transport, boolean synchronous, boolean bounded, int firstRing) {
        this.key = key;
        this.transport = transport;
        this.synchronous = synchronous;
        this.bounded = bounded;
        this.firstRing = firstRing;
        try {
            transport.channel().setOption(StandardSocketOptions.SO_SNDBUF, SOCKET_BUFFER);
        } catch (IOException | UnsupportedOperationException ignored) {
            // the system's default then
        }
    }

    /** The feeder of queue {@code id} at {@code address} in this JVM; connects on first use. */
    static Feeder of(String address, long id, boolean synchronous, boolean bounded) {
        Stream key = new Stream(QueueClient.ownEndpoint(address), id, synchronous);
        Feeder f = FEEDERS.get(key);
        if (f != null) {
            return f;
        }
        synchronized (FEEDERS) {
            f = FEEDERS.get(key);
            if (f == null) {
                f = new Feeder(key, QueueClient.of(key.endpoint()).openStream(id), synchronous, bounded, RING_MIN);
                FEEDERS.put(key, f);
                ExitActions.jvm().at(ExitActions.Stage.FLUSH_FEEDERS, FlushAll.INSTANCE);
                ExitActions.jvm().service(CloseAll.INSTANCE);
            }
            return f;
        }
    }

    /**
     * For tests: a buffered feeder of an unbounded queue of its own, not this JVM's shared one (nothing
     * flushes it at exit; {@link #close()} it), whose ring starts at {@code firstRing} bytes.
     */
    static Feeder unshared(String address, long id, int firstRing) {
        Stream key = new Stream(QueueClient.ownEndpoint(address), id, false);
        return new Feeder(key, QueueClient.of(key.endpoint()).openStream(id), false, false, firstRing);
    }

    /** The ring's length now; 0 before the first put. */
    synchronized int ringLength() {
        return ring == null ? 0 : ring.length;
    }

    /** This JVM's feeder of that queue, if it has one. */
    static Feeder ifPresent(String address, long id, boolean synchronous) {
        return FEEDERS.get(new Stream(QueueClient.ownEndpoint(address), id, synchronous));
    }

    /**
     * What a feeder is kept by: the server and the key its connection authenticates with, the queue, the
     * mode. Its {@code equals} and {@code hashCode} are written out: a record's own are bootstrapped on
     * their first call, some 30 ms of a new JVM's first put.
     */
    private record Stream(Endpoint endpoint, long id, boolean synchronous) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Stream s && id == s.id && synchronous == s.synchronous && endpoint.equals(s.endpoint);
        }

        @Override
        public int hashCode() {
            return (endpoint.hashCode() * 31 + Long.hashCode(id)) * 2 + (synchronous ? 1 : 0);
        }
    }

    /**
     * Writes what every feeder of this JVM has pending and waits until its server has added it to the
     * queue (a {@link #sync()}), except for cancelled feeders; a feeder whose server is gone is skipped.
     * For the exit of this JVM: once it has exited, its items are in their queues.
     */
    private static void flushAll() {
        for (Feeder f : FEEDERS.values()) {
            if (!f.cancelled) {
                f.syncUninterruptibly();
            }
        }
    }

    /** The exit action that flushes every feeder (see {@link ExitActions.Stage#FLUSH_FEEDERS}). */
    private enum FlushAll implements Runnable {
        INSTANCE;

        @Override
        public void run() {
            flushAll();
        }
    }

    /**
     * The feeders as a service of this JVM (see {@link ExitActions#service}): stopping it closes every
     * feeder, dropping what is pending (at an exit they have been flushed first); the next put makes a
     * new one.
     */
    private enum CloseAll implements Runnable {
        INSTANCE;

        @Override
        public void run() {
            synchronized (FEEDERS) {
                FEEDERS.values().forEach(Feeder::close);
                FEEDERS.clear();
            }
        }
    }

    /**
     * Puts one encoded item; to a bounded queue, waits for room up to {@code timeoutNanos} (negative:
     * for ever). False if the timeout passed first.
     *
     * @param shared the body is the caller's own array, which it may change after the put returns
     */
    boolean put(byte tag, byte[] body, boolean shared, long timeoutNanos) throws InterruptedException {
        if (bounded && !takeRoom(timeoutNanos)) {
            return false;
        }
        boolean laidOut = false;
        try {
            layOut(tag, body, shared);
            laidOut = true;
        } finally {
            if (bounded) {
                synchronized (this) {
                    if (!laidOut) {
                        room++; // not used after all
                    }
                    if (--placing == 0) {
                        notifyAll(); // a ROOM request may go now
                    }
                }
            }
        }
        return true;
    }

    private synchronized void layOut(byte tag, byte[] body, boolean shared) throws InterruptedException {
        checkFailure();
        dirty = true;
        if (synchronous) {
            try {
                transport.sendObject(tag, body, 0, body.length);
            } catch (IOException e) {
                failure = e;
                checkFailure();
            }
            return;
        }
        int length = 1 + body.length;
        int frame = FrameLayout.HEADER_LENGTH + length;
        if (frame > RING_MAX / 2) {
            putOversized(tag, body, shared);
            return;
        }
        int at = ringRoomFor(frame);
        byte[] r = ring;
        if (r.length - at >= frame) {
            MessageWriter.putInt(r, at + FrameLayout.LENGTH_OFFSET, length);
            r[at + FrameLayout.KIND_OFFSET] = FrameLayout.OBJECT;
            r[at + FrameLayout.HEADER_LENGTH] = tag;
            System.arraycopy(body, 0, r, at + OBJECT_HEADER, body.length);
            enqueued += frame;
            wakeWriter();
        } else {
            byte[] header = new byte[OBJECT_HEADER];
            MessageWriter.putInt(header, FrameLayout.LENGTH_OFFSET, length);
            header[FrameLayout.KIND_OFFSET] = FrameLayout.OBJECT;
            header[FrameLayout.HEADER_LENGTH] = tag;
            layOutWrapping(at, header, body);
        }
    }

    /**
     * Under the monitor: makes room in the ring for a frame of {@code frame} bytes (at most half of
     * {@link #RING_MAX}), allocating the ring on first use and growing it to {@link #RING_MAX} the first
     * time it is full, else waiting for the feeder thread; where the frame goes in the ring.
     */
    private int ringRoomFor(int frame) throws InterruptedException {
        if (ring == null) {
            ring = new byte[Math.max(firstRing, frame)];
        }
        while (enqueued + frame - written > ring.length) {
            if (ring.length < RING_MAX) {
                grow();
            } else {
                awaitProgress();
            }
        }
        return (int) (enqueued % ring.length);
    }

    /**
     * Under the monitor: the ring of {@link #RING_MAX} bytes, which holds the bytes not yet written. The
     * feeder thread may be copying some of them from the old ring meanwhile: nothing writes to the old
     * ring again, so it reads what it took.
     */
    private void grow() {
        ring = relocated(ring, written, enqueued, RING_MAX);
    }

    /**
     * A ring of {@code length} bytes holding the bytes {@code [from, to)} of a stream that {@code ring}
     * holds, each at its offset in the stream modulo the ring's length, in either ring.
     */
    static byte[] relocated(byte[] ring, long from, long to, int length) {
        byte[] grown = new byte[length];
        for (long at = from; at < to; ) {
            int src = (int) (at % ring.length);
            int dst = (int) (at % length);
            int run = (int) Math.min(to - at, Math.min(ring.length - src, length - dst));
            System.arraycopy(ring, src, grown, dst, run);
            at += run;
        }
        return grown;
    }

    /**
     * Under the monitor: lays out a frame, {@code header} then {@code body}, at {@code at} in the ring,
     * across its end if need be, and hands it to the writer.
     */
    private void layOutWrapping(int at, byte[] header, byte[] body) {
        putWrapping(at, header);
        putWrapping((at + header.length) % ring.length, body);
        enqueued += header.length + body.length;
        wakeWriter();
    }

    private void wakeWriter() {
        if (thread == null) {
            startThread();
        } else if (idle) {
            notifyAll();
        }
    }

    /**
     * Lays out a request after everything put so far (or, synchronous, writes it), under the monitor:
     * the server answers it once it has read what came before.
     */
    private void sendRequest(byte[] request) throws InterruptedException {
        if (synchronous) {
            try {
                transport.send(FrameLayout.RAW, request, 0, request.length);
            } catch (IOException e) {
                failure = e;
                checkFailure();
            }
            return;
        }
        int at = ringRoomFor(FrameLayout.HEADER_LENGTH + request.length);
        layOutWrapping(at, FrameLayout.header(FrameLayout.RAW, request.length).array(), request);
    }

    /**
     * Takes one item's room for a put to a bounded queue: room this stream has, or room it asks the
     * server for (see {@link QueueProtocol#ROOM}), one thread asking at a time. False if the deadline
     * passed first. An interrupt leaves an asked request's reply to be read by the next request.
     *
     * <p>A ROOM request goes only once every put that took room has laid out its item: an item behind
     * it would wait unread while the server waits for room. It asks the server to wait at most
     * {@link #ROOM_SLICE_NANOS} and asks again, so that a sync (a size, a join, the flush at exit)
     * waits no longer than that for its turn; syncs go first.
     */
    private boolean takeRoom(long timeoutNanos) throws InterruptedException {
        long deadline = Deadline.at(timeoutNanos);
        while (true) {
            synchronized (this) {
                checkFailure();
                while (room == 0 && (placing > 0 || syncing > 0 || asking)) {
                    if (!awaitChange(deadline)) {
                        return false;
                    }
                }
                if (room > 0) {
                    room--;
                    placing++;
                    return true;
                }
                asking = true;
                if (!roomReplyDue) {
                    long timeout = Math.min(Deadline.remainingNanos(deadline), ROOM_SLICE_NANOS);
                    try {
                        sendRequest(QueueProtocol.request(QueueProtocol.ROOM, 0, timeout));
                    } catch (InterruptedException | RuntimeException e) {
                        asking = false;
                        notifyAll();
                        throw e;
                    }
                    roomReplyDue = true;
                }
            }
            long granted;
            try {
                granted = roomReply(false);
            } finally {
                synchronized (this) {
                    asking = false;
                    notifyAll();
                }
            }
            if (granted == 0 && Deadline.remainingNanos(deadline) <= 0) {
                return false;
            }
        }
    }

    /** Under the monitor: waits for a change of this feeder's state. False if the deadline passed first. */
    private boolean awaitChange(long deadline) throws InterruptedException {
        if (deadline == Deadline.NEVER) {
            wait();
        } else {
            long left = Deadline.remainingNanos(deadline);
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        checkFailure();
        return true;
    }

    /**
     * Outside the monitor, by the asking thread: reads the reply to the ROOM request due and adds the
     * room it reserved. Returns it (0: the server's wait timed out). An interrupt throws, leaving the
     * reply due, unless {@code uninterruptibly}, which reads it anyway and keeps the interrupt.
     */
    private long roomReply(boolean uninterruptibly) throws InterruptedException {
        SocketTransport.Frame reply = reply(uninterruptibly);
        long granted = reply.payload()[0] == QueueProtocol.OK ? MessageReader.longAt(reply.payload(), 1) : 0;
        synchronized (this) {
            roomReplyDue = false;
            room += granted;
        }
        return granted;
    }

    /** The reply to the request sent (the asking thread's); a failure of the connection is this feeder's. */
    private SocketTransport.Frame reply(boolean uninterruptibly) throws InterruptedException {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return transport.recv(Integer.MAX_VALUE);
                } catch (InterruptedIOException e) {
                    Thread.interrupted(); // nothing consumed: the reply is still to come
                    if (!uninterruptibly) {
                        throw new InterruptedException("interrupted while waiting for room in the queue");
                    }
                    interrupted = true;
                }
            }
        } catch (IOException e) {
            synchronized (this) {
                if (failure == null) {
                    failure = e;
                }
                transport.close();
                checkFailure();
            }
            throw new AssertionError(e); // checkFailure threw
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Copies {@code src} to the ring at {@code at}, wrapping at its end. */
    private void putWrapping(int at, byte[] src) {
        int first = Math.min(src.length, ring.length - at);
        System.arraycopy(src, 0, ring, at, first);
        System.arraycopy(src, first, ring, 0, src.length - first);
    }

    /** An item too big for the ring: once everything before it is written, the writer gets it alone. */
    private void putOversized(byte tag, byte[] body, boolean shared) throws InterruptedException {
        while (written < enqueued || !oversized.isEmpty()) {
            awaitProgress();
        }
        ByteBuffer head = FrameLayout.putHeader(ByteBuffer.allocate(OBJECT_HEADER), FrameLayout.OBJECT, 1 + body.length);
        oversized.add(head.put(tag).flip());
        oversized.add(ByteBuffer.wrap(shared ? body.clone() : body));
        if (thread == null) {
            startThread();
        } else {
            notifyAll();
        }
    }

    private void startThread() {
        thread = new Thread(this::writeLoop, "mp4j-queue-feeder");
        thread.setDaemon(true);
        thread.start();
    }

    /** Waits for the feeder thread to write something; throws if the server has gone meanwhile. */
    private void awaitProgress() throws InterruptedException {
        waiting = true;
        if (idle) {
            notifyAll();
        }
        wait();
        checkFailure();
    }

    /**
     * Waits until every put so far has been written.
     *
     * @throws ProcessError if the serving process is gone before they all were: those not written are lost
     */
    synchronized void flush() throws InterruptedException {
        long target = enqueued;
        while ((written < target || !oversized.isEmpty()) && failure == null) {
            waiting = true;
            wait();
        }
        if (written < target || !oversized.isEmpty() || lostFrom < target || lostOversized) {
            checkFailure();
        }
    }

    /**
     * Waits until every put so far has been added to the queue by its server: after this, a request
     * on any other connection sees them. One round trip, and only if something was put since the last.
     * An interrupt while it waits for the reply is kept for the caller, and the wait goes on.
     */
    void sync() throws InterruptedException {
        synchronized (this) {
            if (!dirty || failure != null) {
                return;
            }
            syncing++;
            try {
                while (asking) {
                    awaitChange(Deadline.NEVER);
                }
            } finally {
                syncing--;
            }
            asking = true;
        }
        try {
            boolean roomDue;
            synchronized (this) {
                roomDue = roomReplyDue;
            }
            if (roomDue) {
                roomReply(true);
            }
            synchronized (this) {
                sendRequest(QueueProtocol.request(QueueProtocol.SYNC, 0, 0));
                dirty = false; // what is put from now on needs another sync
            }
            reply(true);
        } finally {
            synchronized (this) {
                asking = false;
                notifyAll();
            }
        }
    }

    /** Whether this feeder's server has gone; {@link #of} then makes a new one, which finds out why. */
    boolean isBroken() {
        return broken;
    }

    void cancel() {
        cancelled = true;
    }

    private void syncUninterruptibly() {
        boolean interrupted = false;
        while (true) {
            try {
                sync();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            } catch (ProcessError serverGone) {
                break;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The feeder thread: copies what the puts laid out, up to {@value #STAGE} bytes at a time (no more
     * than the ring holds), to direct memory and writes it whole (a heap buffer would be copied again by
     * every partial write).
     */
    private void writeLoop() {
        ByteBuffer stage = null;
        while (true) {
            ByteBuffer[] big = null;
            byte[] r;
            long from;
            long end;
            synchronized (this) {
                while (enqueued == written && oversized.isEmpty()) {
                    if (failure != null) {
                        return;
                    }
                    idle = true;
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        return;
                    } finally {
                        idle = false;
                    }
                }
                from = written;
                r = ring;
                if (!oversized.isEmpty()) {
                    big = oversized.toArray(new ByteBuffer[0]);
                }
                int staged = big != null || r == null ? STAGE : Math.min(STAGE, r.length);
                if (stage == null || stage.capacity() < staged) {
                    stage = ByteBuffer.allocateDirect(staged); // direct memory is zeroed, so touched: no more than needed
                }
                end = big != null ? from : Math.min(enqueued, from + stage.capacity());
            }
            // the puts do not touch [from, end) of the ring r until written passes it (a larger ring
            // they grow meanwhile is another array)
            IOException error = null;
            try {
                if (big != null) {
                    for (ByteBuffer b : big) {
                        while (b.hasRemaining()) {
                            int n = Math.min(stage.capacity(), b.remaining());
                            stage.clear();
                            stage.put(b.array(), b.arrayOffset() + b.position(), n).flip();
                            b.position(b.position() + n);
                            transport.sendFrames(new ByteBuffer[] {stage});
                        }
                    }
                } else {
                    stage.clear();
                    int at = (int) (from % r.length);
                    int length = (int) (end - from);
                    int first = Math.min(length, r.length - at);
                    stage.put(r, at, first).put(r, 0, length - first).flip();
                    transport.sendFrames(new ByteBuffer[] {stage});
                }
            } catch (IOException e) {
                error = e;
            }
            synchronized (this) {
                if (error != null) {
                    failure = error;
                    lostFrom = Math.min(lostFrom, from);
                    lostOversized |= big != null;
                    written = enqueued; // the puts waiting for room go on, to fail
                    transport.close();
                } else {
                    written = end;
                }
                if (big != null) {
                    oversized.clear();
                }
                if (waiting || failure != null) {
                    waiting = false;
                    notifyAll();
                }
                if (failure != null) {
                    return;
                }
            }
        }
    }

    void close() {
        synchronized (this) {
            if (failure == null) {
                failure = new IOException("closed");
            }
            notifyAll();
        }
        transport.close();
    }

    private void checkFailure() {
        if (failure != null) {
            broken = true;
            FEEDERS.remove(key, this);
            throw new ProcessError(QueueAccess.gone(key.endpoint().address()) + failure.getMessage(), failure);
        }
    }
}
