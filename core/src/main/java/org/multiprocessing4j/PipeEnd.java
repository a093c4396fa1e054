package org.multiprocessing4j;

import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectStreamException;
import java.io.Serializable;
import java.nio.file.Path;
import org.multiprocessing4j.internal.wire.PipeRendezvous;
import org.multiprocessing4j.internal.wire.SocketTransport;

/**
 * One end of a {@link Pipe} as it travels: the pipe's name and which end, never a socket. It connects
 * on first use in whatever JVM it is then in (see {@link PipeRendezvous}).
 *
 * <p>States in a JVM: not yet used; connected; closed. The original ends, in the JVM that opened the
 * pipe, also know each other: while neither has been sent away, the first use connects both there. An
 * end that has been sent away is not used here any more: closing this copy leaves the one that travelled
 * untouched, as closing a Python process's copy of a pipe's descriptor does.
 */
final class PipeEnd implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String dir;
    private final String id;
    private final boolean left;

    private transient PipeEnd peer;        // the other original end, in the creating JVM only
    private transient Object pairLock;     // shared with peer
    private transient SocketTransport transport; // guarded by this
    private transient boolean sentAway;    // guarded by pairLock
    private transient boolean closed;      // guarded by this
    private transient boolean peerGone;    // guarded by this: connecting found the other end closed

    private PipeEnd(String dir, String id, boolean left) {
        this.dir = dir;
        this.id = id;
        this.left = left;
        this.pairLock = new Object();
    }

    /** The two original ends of a new pipe. */
    static PipeEnd[] open(Path dir, String id) {
        PipeEnd l = new PipeEnd(dir.toString(), id, true);
        PipeEnd r = new PipeEnd(dir.toString(), id, false);
        l.peer = r;
        r.peer = l;
        r.pairLock = l.pairLock;
        return new PipeEnd[] {l, r};
    }

    /** The connection of this end, connecting on first use; blocks until the other end is used too. */
    synchronized SocketTransport transport() throws IOException {
        if (transport != null) {
            return transport;
        }
        if (closed) {
            throw new java.nio.channels.ClosedChannelException();
        }
        Path d = Path.of(dir);
        byte[] key = Process.authkey();
        PipeEnd p = peer;
        if (p != null) {
            synchronized (pairLock) {
                if (sentAway) {
                    throw new IllegalStateException("this end of the pipe was sent to another process");
                }
                if (!p.sentAway) {
                    synchronized (p) {
                        if (p.transport == null && !p.closed) {
                            SocketTransport[] pair = PipeRendezvous.pairLocally(d, id, key);
                            transport = pair[left ? 0 : 1];
                            p.transport = pair[left ? 1 : 0];
                            return transport;
                        }
                    }
                }
            }
        }
        try {
            transport = left ? PipeRendezvous.listen(d, id, key) : PipeRendezvous.connect(d, id, key);
        } catch (java.io.EOFException e) {
            peerGone = true;
            throw e;
        }
        return transport;
    }

    synchronized boolean isClosed() {
        return closed || (transport != null && transport.isClosed());
    }

    /** Closes this copy; see the class description. */
    void close() {
        SocketTransport t;
        boolean gone;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            t = transport;
            gone = peerGone;
        }
        if (t != null) {
            t.close();
            return;
        }
        if (gone || isSentAway()) {
            return; // nobody left to tell, or the end lives on elsewhere
        }
        PipeEnd p = peer;
        if (p != null && p.isClosed() && !p.isSentAway()) {
            PipeRendezvous.forget(Path.of(dir), id); // both original ends closed here, never used
            return;
        }
        PipeRendezvous.leaveTombstone(Path.of(dir), id);
    }

    private boolean isSentAway() {
        if (pairLock == null) {
            return false;
        }
        synchronized (pairLock) {
            return sentAway;
        }
    }

    /** Serializing an end sends it away: it must not be in use here, and this copy stops here. */
    private Object writeReplace() throws ObjectStreamException {
        synchronized (this) {
            if (transport != null) {
                throw new NotSerializableException("this end of the pipe is already connected in this process;"
                        + " an end can move to another process only before it is first used");
            }
            if (closed) {
                throw new NotSerializableException("this end of the pipe is closed");
            }
        }
        if (pairLock != null) {
            synchronized (pairLock) {
                sentAway = true;
            }
        }
        return this;
    }

    private Object readResolve() {
        pairLock = new Object();
        return this;
    }

    @Override
    public String toString() {
        return "pipe " + id + (left ? " (left)" : " (right)");
    }
}
