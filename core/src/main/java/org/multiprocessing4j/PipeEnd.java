package org.multiprocessing4j;

import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.NotSerializableException;
import java.io.ObjectStreamException;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.multiprocessing4j.internal.launch.Spawning;
import org.multiprocessing4j.internal.wait.Deadline;
import org.multiprocessing4j.internal.wire.FrameLayout;
import org.multiprocessing4j.internal.wire.PipeHome;
import org.multiprocessing4j.internal.wire.SocketTransport;

/**
 * One copy of one end of a {@link Pipe}. Every copy reports to the pipe's home, the JVM that opened it
 * (see {@link PipeHome}): the two original ends live there; a copy that travels is a ticket, and the
 * copy made of it where it lands connects to the home at once.
 *
 * <p>States: <em>unused</em>; <em>sent away</em> (serialized for another process: this copy is not
 * used here any more, the one that travelled is); <em>used</em> (it claimed its end: it alone carries
 * the end's messages; it cannot travel any more); <em>closed</em>. A used end that is not yet joined to
 * the other end keeps what it sends (up to {@value #PENDING_LIMIT} bytes, then a send waits, as on a full
 * socket) and its receives wait; when the other end is joined, what waited goes first.
 */
final class PipeEnd implements Serializable, PipeHome.LocalEnd {
    private static final long serialVersionUID = 2L;
    /** What an end not yet joined holds of its sends before a send waits: a socket buffer's worth. */
    private static final int PENDING_LIMIT = 128 * 1024;

    private enum State { UNUSED, SENT_AWAY, USED, CLOSED }

    private final String home;  // the home's address
    private final String id;
    private final int side;     // PipeHome.LEFT or RIGHT
    private final long ticket;  // what a copy presents to its home; 0 for an original end

    private transient ReentrantLock lock;
    private transient Condition changed;
    private transient State state;                          // guarded by lock
    private transient PipeHome.Entry entry;                 // in the home JVM
    private transient PipeHome.Copy copy;                   // in another JVM: the connection to the home
    private transient volatile SocketTransport sending;     // once joined (null again never)
    private transient volatile SocketTransport receiving;   // once joined
    private transient List<ByteBuffer> pending;             // guarded by lock: sends waiting for the join
    private transient int pendingBytes;                     // guarded by lock
    private transient String peerGone;                      // guarded by lock: the other end went unused
    private transient RuntimeException unusable;            // guarded by lock: why this copy cannot be used
    private transient List<Runnable> watchers;

    private PipeEnd(String home, String id, int side, long ticket) {
        this.home = home;
        this.id = id;
        this.side = side;
        this.ticket = ticket;
        init(State.UNUSED);
    }

    private void init(State s) {
        lock = new ReentrantLock();
        changed = lock.newCondition();
        state = s;
        pending = new ArrayList<>();
        watchers = new CopyOnWriteArrayList<>();
    }

    /** The two original ends of a new pipe opened in this JVM. */
    static PipeEnd[] open(PipeHome home, String id) {
        PipeHome.Entry e = home.open(id);
        PipeEnd l = new PipeEnd(home.address(), id, PipeHome.LEFT, 0);
        PipeEnd r = new PipeEnd(home.address(), id, PipeHome.RIGHT, 0);
        l.entry = e;
        r.entry = e;
        return new PipeEnd[] {l, r};
    }

    // ---- used by Connection --------------------------------------------------------------------------

    /** Sends one frame; before the join it is kept (see the class description). */
    void send(byte kind, byte tag, byte[] body, int offset, int length) throws IOException {
        SocketTransport t = sending;
        if (t == null) {
            t = sendingOrKeep(kind, tag, body, offset, length);
            if (t == null) {
                return; // kept until the join
            }
        }
        if (kind == FrameLayout.OBJECT) {
            t.sendObject(tag, body, offset, length);
        } else {
            t.send(kind, body, offset, length);
        }
    }

    /**
     * The connection to receive from, claiming the end on first use; waits up to {@code timeoutNanos}
     * (negative: for ever) for the join and returns null if it has not come.
     *
     * @throws EOFException if the other end went unused (every copy closed, or its processes ended)
     */
    SocketTransport receiving(long timeoutNanos) throws IOException {
        SocketTransport t = receiving;
        if (t != null) {
            return t;
        }
        claim();
        long deadline = Deadline.at(timeoutNanos);
        lock.lock();
        try {
            while (true) {
                if (receiving != null) {
                    return receiving;
                }
                checkJoinable();
                long left = Deadline.remainingNanos(deadline);
                if (timeoutNanos >= 0 && left <= 0) {
                    return null;
                }
                try {
                    if (timeoutNanos < 0) {
                        changed.await();
                    } else {
                        changed.await(left, TimeUnit.NANOSECONDS);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while waiting for the other end of the pipe");
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** The connection if joined, without claiming or waiting; null before. */
    SocketTransport joined() {
        return receiving;
    }

    /** Whether the other end is known to be gone before the join (a receive would see end of stream). */
    boolean peerGoneBeforeJoin() {
        lock.lock();
        try {
            return peerGone != null;
        } finally {
            lock.unlock();
        }
    }

    /** Claims the end if unused, for a caller that will then wait for it (see {@code Connection.waitAny}). */
    void use() throws IOException {
        claim();
    }

    /** Runs {@code r} whenever this end is joined, learns that its peer is gone, or is closed. */
    void watch(Runnable r) {
        watchers.add(r);
    }

    void unwatch(Runnable r) {
        watchers.remove(r);
    }

    boolean isClosed() {
        lock.lock();
        try {
            if (state == State.CLOSED) {
                return true;
            }
        } finally {
            lock.unlock();
        }
        SocketTransport t = receiving;
        return t != null && t.isClosed();
    }

    /**
     * Closes this copy. An unused copy is one copy less of its end; a copy sent away lives on where it
     * went; a used end ends its stream (what it sent before the join is still delivered).
     */
    void close() {
        State was;
        SocketTransport t;
        lock.lock();
        try {
            was = state;
            if (was == State.CLOSED) {
                return;
            }
            state = State.CLOSED;
            t = receiving;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        notifyWatchers();
        switch (was) {
            case UNUSED -> {
                if (entry != null) {
                    entry.localCopyClosed(side);
                } else if (copy != null) {
                    copy.close();
                }
            }
            case USED -> {
                if (t != null) {
                    t.close();
                } else if (copy != null) {
                    copy.close(); // never joined here: its activation failed
                }
                // a claimant here not yet joined keeps what it sent: the join delivers it, then closes
            }
            default -> {
                // sent away: the copy that travelled is the end now
            }
        }
    }

    // ---- PipeHome.LocalEnd ---------------------------------------------------------------------------

    @Override
    public void attach(SocketTransport t) {
        lock.lock();
        try {
            receiving = t;
            if (!pending.isEmpty()) {
                try {
                    t.sendFrames(pending.toArray(new ByteBuffer[0]));
                } catch (IOException peerAlreadyGone) {
                    // the next send or receive says so
                }
            }
            pending = new ArrayList<>();
            pendingBytes = 0;
            if (state == State.CLOSED) {
                t.close(); // closed before the join: its peer gets what it sent, then end of stream
            } else {
                sending = t;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        notifyWatchers();
    }

    @Override
    public void peerGone(String why) {
        lock.lock();
        try {
            peerGone = why;
            pending = new ArrayList<>();
            pendingBytes = 0;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        notifyWatchers();
    }

    // ---- internals -----------------------------------------------------------------------------------

    /** Claims the end for this copy on its first use; another thread's first use waits for the join. */
    private void claim() throws IOException {
        lock.lock();
        try {
            checkUsable();
            if (state == State.USED) {
                return;
            }
            state = State.USED;
        } finally {
            lock.unlock();
        }
        try {
            if (entry != null) {
                entry.claimLocal(side, this);
            } else {
                attach(copy.activate());
            }
        } catch (IllegalStateException inUseElsewhere) {
            markUnusable(inUseElsewhere);
            throw inUseElsewhere;
        } catch (IOException homeGone) {
            markUnusable(null);
            lock.lock();
            try {
                peerGone = "the pipe is gone: " + homeGone.getMessage();
                changed.signalAll();
            } finally {
                lock.unlock();
            }
            notifyWatchers();
            throw homeGone;
        }
    }

    /** Before the join: keeps the frame and returns null, or waits until it can be sent. */
    private SocketTransport sendingOrKeep(byte kind, byte tag, byte[] body, int offset, int length)
            throws IOException {
        claim();
        boolean tagged = kind == FrameLayout.OBJECT;
        int size = FrameLayout.HEADER_LENGTH + (tagged ? 1 : 0) + length;
        lock.lock();
        try {
            while (true) {
                if (sending != null) {
                    return sending;
                }
                checkJoinable();
                if (receiving == null && pendingBytes + size <= PENDING_LIMIT) {
                    ByteBuffer frame = ByteBuffer.allocate(size);
                    FrameLayout.putHeader(frame, kind, size - FrameLayout.HEADER_LENGTH);
                    if (tagged) {
                        frame.put(tag);
                    }
                    frame.put(body, offset, length).flip();
                    pending.add(frame);
                    pendingBytes += size;
                    return null;
                }
                changed.awaitUninterruptibly(); // as a send to a full socket waits
            }
        } finally {
            lock.unlock();
        }
    }

    /** Throws what using this copy now means, if it cannot be used. Under lock. */
    private void checkUsable() throws IOException {
        if (state == State.CLOSED) {
            throw new ClosedChannelException();
        }
        if (state == State.SENT_AWAY) {
            throw new IllegalStateException("this end of the pipe was sent to another process");
        }
        if (unusable != null) {
            throw unusable;
        }
    }

    /** Throws what waiting for the join now means: this copy cannot be used, or the other end is gone. Under lock. */
    private void checkJoinable() throws IOException {
        checkUsable();
        if (peerGone != null) {
            throw new EOFException(peerGone);
        }
    }

    private void markUnusable(RuntimeException why) {
        lock.lock();
        try {
            unusable = why;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void notifyWatchers() {
        for (Runnable r : watchers) {
            r.run();
        }
    }

    /** Serializing a copy sends it away: it must not be in use here, and this copy stops here. */
    private Object writeReplace() throws ObjectStreamException {
        boolean leaves;
        lock.lock();
        try {
            if (state == State.USED) {
                throw new NotSerializableException("this end of the pipe is already connected in this process;"
                        + " an end can move to another process only before it is first used");
            }
            if (state == State.CLOSED) {
                throw new NotSerializableException("this end of the pipe is closed");
            }
            leaves = state == State.UNUSED;
            state = State.SENT_AWAY;
        } finally {
            lock.unlock();
        }
        long t;
        try {
            if (entry != null) {
                long minted = entry.mint(side, leaves);
                PipeHome.Entry e = entry;
                int s = side;
                t = minted;
                Spawning.onChildEnd(() -> e.voidTicket(s, minted));
            } else if (copy != null && unusable == null) {
                long minted = copy.moved(leaves);
                PipeHome.Copy c = copy;
                t = minted;
                Spawning.onChildEnd(() -> c.voidTicket(minted));
            } else {
                t = 0; // a copy that cannot be used makes copies that cannot either
            }
        } catch (IOException e) {
            throw new NotSerializableException("cannot hand over this end of the pipe: " + e.getMessage());
        }
        return new PipeEnd(home, id, side, t);
    }

    /** A copy arrives: back home it is a copy there again; elsewhere it connects to its home at once. */
    private Object readResolve() {
        init(State.UNUSED);
        PipeHome here = PipeHome.ifPresent();
        if (here != null && here.address().equals(home)) {
            entry = here.returned(id, side, ticket);
            if (entry == null) {
                unusable = new IllegalStateException("this copy of the pipe end is void: it was presented before,"
                        + " or every copy of its other end is gone");
            }
            return this;
        }
        try {
            copy = PipeHome.Copy.connect(home, id, side, ticket, Process.authkey());
        } catch (IOException e) {
            peerGone = e.getMessage();
            unusable = new EOFError(e.getMessage(), e);
        } catch (AuthenticationError e) {
            unusable = e; // another process tree's pipe: this one cannot use it
        }
        return this;
    }

    @Override
    public String toString() {
        return "pipe " + id + (side == PipeHome.LEFT ? " (left)" : " (right)");
    }
}
