package org.multiprocessing4j.internal.wire;

import java.io.EOFException;
import java.io.IOException;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.multiprocessing4j.AuthenticationError;

/**
 * Where the pipes a JVM opened live: the JVM's stand-in for the kernel's socket pair behind CPython's
 * {@code Pipe()}. A pipe's two ends are connected from the moment it is opened, wherever their copies
 * go, because every copy reports here:
 *
 * <ul>
 *   <li>An end handed to another process travels as a <em>ticket</em> (see {@link PipeProtocol}); the
 *       copy that arrives connects here at once and presents it, and that connection counts as an open
 *       copy of the end for as long as it lasts, so a copy dies with its process as a file descriptor
 *       would.</li>
 *   <li>The first copy of an end that is used <em>claims</em> the end; it alone carries the end's
 *       messages from then on. Once both ends are claimed they are joined: directly when one of them is
 *       in this JVM (its {@link LocalEnd} takes the other's connection as its own, so messages go from
 *       process to process without passing through here), through a {@link PipeRelay} here when neither
 *       is.</li>
 *   <li>Until then, messages wait: those of a claimant elsewhere in its own connection, unread; those of
 *       a claimant here in its {@link LocalEnd}. So a child can send and exit before the other end was
 *       ever used, and its messages arrive later.</li>
 *   <li>An end whose every copy is gone (closed, or its process ended) before it was claimed is gone for
 *       its peer: a claimant here sees end of stream ({@link LocalEnd#peerGone}), a claimant elsewhere
 *       its connection closed.</li>
 * </ul>
 *
 * <p>The home listens on a socket in the JVM's private runtime directory while any ticket is out, and
 * not otherwise. A ticket is out from the moment an end is serialized until its copy arrives, or until
 * what guards it ends: the child it was sent to at start (see {@code Spawning}), the connection of the
 * copy that forwarded it, or this JVM. Every connection is authenticated with the process tree's key.
 * The pipes live as long as this JVM: when it exits, copies elsewhere see end of stream.
 */
public final class PipeHome {
    public static final int LEFT = 0;
    public static final int RIGHT = 1;
    private static final String SOCKET = "pipes.sock";
    private static PipeHome instance; // guarded by PipeHome.class

    /** An end used in this JVM, as the home sees it (implemented in the public package). */
    public interface LocalEnd {
        /**
         * The other end is joined: from now on this end's messages go to and come from {@code t}. Called
         * once, after the caller's own lock is released; it may block briefly while it writes what waited.
         */
        void attach(SocketTransport t);

        /** The other end is gone without having been used: receives see end of stream. */
        void peerGone(String why);
    }

    private final Path socketFile;
    private final byte[] authkey;
    private final Map<String, Entry> ticketed = new HashMap<>(); // pipes with tickets out; guarded by this
    private int ticketsOut;                                       // guarded by this
    private Acceptor acceptor;                                    // guarded by this; listening while tickets are out

    private PipeHome(Path dir, byte[] authkey) {
        this.socketFile = dir.resolve(SOCKET);
        this.authkey = authkey.clone();
    }

    /** This JVM's home, made on first use in its runtime directory {@code dir}. */
    public static synchronized PipeHome of(Path dir, byte[] authkey) {
        if (instance == null) {
            instance = new PipeHome(dir, authkey);
        }
        return instance;
    }

    /** This JVM's home if it has one, else null. */
    public static synchronized PipeHome ifPresent() {
        return instance;
    }

    /** The address copies connect to, as a serialized end carries it. */
    public String address() {
        return socketFile.toString();
    }

    /**
     * A copy of an end of a pipe opened here came back with {@code ticket}: its entry, the copy being an
     * open copy here again; null if the ticket is void (presented before, or its pipe is gone).
     */
    public Entry returned(String id, int side, long ticket) {
        synchronized (this) {
            Entry e = ticketed.get(id);
            return e != null && e.returned(side, ticket) ? e : null;
        }
    }

    /** A new pipe, both of whose ends are in this JVM. */
    public Entry open(String id) {
        return new Entry(id);
    }

    /** One pipe: what the home knows of each of its ends. Methods are thread-safe. */
    public final class Entry {
        private final String id;
        private final Side[] sides = {new Side(), new Side()};
        private boolean joined; // guarded by PipeHome.this

        private Entry(String id) {
            this.id = id;
        }

        /**
         * An end in this JVM is used for the first time: it claims its side, and is joined to the other
         * end if that is claimed, or told the other end is gone, before this returns.
         *
         * @throws IllegalStateException if another copy of this end was used first
         * @throws IOException if joining two ends that are both here fails
         */
        public void claimLocal(int side, LocalEnd end) throws IOException {
            List<Runnable> after;
            LocalEnd otherLocal = null;
            synchronized (PipeHome.this) {
                Side me = sides[side];
                if (me.claimed()) {
                    throw new IllegalStateException("this end of the pipe is already in use in another process;"
                            + " an end is used by one process only");
                }
                me.localCopies--;
                me.local = end;
                Side other = sides[1 - side];
                if (other.local != null) {
                    joined = true;
                    otherLocal = other.local;
                    after = List.of();
                } else {
                    after = afterClaim(side);
                }
            }
            if (otherLocal != null) {
                SocketTransport[] pair = PipeRendezvous.pairLocally(socketFile.getParent(), id, authkey);
                end.attach(pair[side == LEFT ? 0 : 1]);
                otherLocal.attach(pair[side == LEFT ? 1 : 0]);
            }
            after.forEach(Runnable::run);
        }

        /** A copy in this JVM that was never used is closed. */
        public void localCopyClosed(int side) {
            List<Runnable> after;
            synchronized (PipeHome.this) {
                sides[side].localCopies--;
                after = settle();
            }
            after.forEach(Runnable::run);
        }

        /**
         * A copy in this JVM is being serialized: returns the ticket the new copy will present.
         * {@code leaves}: the copy thereby leaves this JVM (its first serialization).
         *
         * @throws IOException if the home cannot listen
         */
        public long mint(int side, boolean leaves) throws IOException {
            synchronized (PipeHome.this) {
                long t = addTicket(side);
                if (leaves) {
                    sides[side].localCopies--;
                }
                return t;
            }
        }

        /** A ticket minted here will never be presented (the child it went to has ended). */
        public void voidTicket(int side, long ticket) {
            List<Runnable> after;
            synchronized (PipeHome.this) {
                if (!removeTicket(side, ticket)) {
                    return;
                }
                after = settle();
            }
            after.forEach(Runnable::run);
        }

        /** A copy came back to this JVM with {@code ticket}: true if it is an open copy again. */
        public boolean returned(int side, long ticket) {
            synchronized (PipeHome.this) {
                if (!removeTicket(side, ticket)) {
                    return false;
                }
                sides[side].localCopies++;
                return true;
            }
        }

        // ---- under PipeHome.this ------------------------------------------------------------------

        private long addTicket(int side) throws IOException {
            listen();
            long t;
            do {
                t = ThreadLocalRandom.current().nextLong();
            } while (t == 0 || !sides[side].tickets.add(t));
            ticketsOut++;
            ticketed.put(id, this);
            return t;
        }

        private boolean removeTicket(int side, long ticket) {
            if (!sides[side].tickets.remove(ticket)) {
                return false;
            }
            ticketsOut--;
            if (sides[0].tickets.isEmpty() && sides[1].tickets.isEmpty()) {
                ticketed.remove(id);
            }
            if (ticketsOut == 0) {
                stopListening();
            }
            return true;
        }

        /** After {@code side} was claimed: join it to a claimed peer, or tell it the peer is gone. */
        private List<Runnable> afterClaim(int side) {
            Side me = sides[side];
            Side other = sides[1 - side];
            List<Runnable> after = new ArrayList<>();
            if (other.claimed()) {
                joined = true;
                if (me.local != null) {
                    LocalEnd l = me.local;
                    SocketTransport r = other.remote;
                    after.add(() -> l.attach(r));
                } else if (other.local != null) {
                    LocalEnd l = other.local;
                    SocketTransport r = me.remote;
                    after.add(() -> l.attach(r));
                } else {
                    SocketTransport a = sides[LEFT].remote;
                    SocketTransport b = sides[RIGHT].remote;
                    after.add(() -> PipeRelay.start(a, b, id));
                }
            } else {
                after.addAll(settle());
            }
            return after;
        }

        /** Tells a claimed end whose peer can no longer be used that it is gone. */
        private List<Runnable> settle() {
            if (joined) {
                return List.of();
            }
            List<Runnable> after = new ArrayList<>();
            for (int s = 0; s < 2; s++) {
                Side me = sides[s];
                Side other = sides[1 - s];
                if (me.alive() || !other.claimed() || other.toldGone) {
                    continue;
                }
                other.toldGone = true;
                String why = "the other end of the pipe was closed"
                        + (me.everLeft ? " (every process that held it closed it or ended)" : "");
                if (other.local != null) {
                    LocalEnd l = other.local;
                    after.add(() -> l.peerGone(why));
                } else {
                    SocketTransport r = other.remote;
                    after.add(r::close);
                }
            }
            return after;
        }
    }

    /** What the home knows of one end. Guarded by the home. */
    private static final class Side {
        int localCopies = 1;                     // open copies in this JVM, never used
        final Set<Long> tickets = new HashSet<>(); // copies on their way
        int held;                                // copies elsewhere, connected, never used
        boolean everLeft;                        // a copy went to another process
        LocalEnd local;                          // the claimant, if in this JVM
        SocketTransport remote;                  // the claimant's connection, if elsewhere
        boolean toldGone;

        boolean claimed() {
            return local != null || remote != null;
        }

        boolean alive() {
            return claimed() || localCopies > 0 || held > 0 || !tickets.isEmpty();
        }
    }

    // ---- the listening side ------------------------------------------------------------------------

    private void listen() throws IOException {
        if (acceptor != null) {
            return;
        }
        Files.deleteIfExists(socketFile); // left by an earlier listening of this home
        ServerSocketChannel server = Address.parse("unix:" + socketFile).bind();
        acceptor = Acceptor.start(server, authkey, "mp4j-pipe-home", this::welcome, PipeHome::notOurs);
    }

    private void stopListening() {
        if (acceptor != null) {
            acceptor.close();
            acceptor = null;
            try {
                Files.deleteIfExists(socketFile);
            } catch (IOException ignored) {
                // the runtime directory is gone
            }
        }
    }

    private static void notOurs(AuthenticationError e) {
        // a peer without the key: nothing of ours
    }

    /** An authenticated copy connected: serve its messages on a thread of its own until it is used or gone. */
    private void welcome(SocketTransport t) {
        Thread thread = new Thread(null, () -> serve(t), "mp4j-pipe-copy", 128 * 1024);
        thread.setDaemon(true);
        thread.start();
    }

    /** One copy's connection: HELLO, then MOVED/VOID, until ACTIVATE hands it over or it ends. */
    private void serve(SocketTransport t) {
        Entry entry;
        int side;
        Set<Long> guards = new HashSet<>();
        boolean held;
        try {
            byte[] hello = recvControl(t);
            if (hello.length < 10 || hello[0] != PipeProtocol.HELLO || (hello[1] != LEFT && hello[1] != RIGHT)) {
                t.close();
                return;
            }
            side = hello[1];
            long ticket = java.nio.ByteBuffer.wrap(hello, 2, 8).getLong();
            String id = PipeProtocol.textOf(hello, 10);
            synchronized (this) {
                entry = ticketed.get(id);
                held = entry != null && entry.removeTicket(side, ticket);
                if (held) {
                    entry.sides[side].held++;
                    entry.sides[side].everLeft = true;
                }
            }
            if (!held) {
                reply(t, PipeProtocol.refused(entry == null
                        ? "the pipe is gone: every copy of its other end was closed, or this copy's sender ended"
                        : "this copy of the pipe end is void: its sender ended, or it was presented before"));
                t.close();
                return;
            }
            reply(t, new byte[] {PipeProtocol.WELCOME});
        } catch (IOException | RuntimeException e) {
            t.close();
            return;
        }
        try {
            while (true) {
                byte[] m = recvControl(t);
                switch (m[0]) {
                    case PipeProtocol.ACTIVATE -> {
                        if (activate(entry, side, t, held)) {
                            return; // the connection now carries the pipe's messages
                        }
                    }
                    case PipeProtocol.MOVED -> {
                        boolean leaves = m.length > 1 && m[1] == 1 && held;
                        long ticket;
                        synchronized (this) {
                            ticket = entry.addTicket(side);
                            if (leaves) {
                                entry.sides[side].held--;
                                held = false;
                            }
                            guards.add(ticket);
                        }
                        reply(t, PipeProtocol.ticket(PipeProtocol.TICKET, ticket));
                    }
                    case PipeProtocol.VOID -> {
                        long ticket = PipeProtocol.ticketOf(m);
                        guards.remove(ticket);
                        entry.voidTicket(side, ticket);
                    }
                    default -> throw new IOException("unknown pipe message " + m[0]);
                }
            }
        } catch (IOException | RuntimeException gone) {
            t.close();
            copyGone(entry, side, held, guards);
        }
    }

    /** ACTIVATE: claim the end for this connection; false (and REFUSED sent) if another copy has it. */
    private boolean activate(Entry entry, int side, SocketTransport t, boolean held) throws IOException {
        List<Runnable> after;
        synchronized (this) {
            Side me = entry.sides[side];
            if (me.claimed()) {
                after = null;
            } else {
                if (held) {
                    me.held--;
                }
                me.remote = t;
                after = entry.afterClaim(side);
            }
        }
        if (after == null) {
            reply(t, PipeProtocol.refused("this end of the pipe is already in use in another process;"
                    + " an end is used by one process only"));
            return false;
        }
        reply(t, new byte[] {PipeProtocol.OK});
        after.forEach(Runnable::run);
        return true;
    }

    private void copyGone(Entry entry, int side, boolean held, Set<Long> guards) {
        List<Runnable> after;
        synchronized (this) {
            if (held) {
                entry.sides[side].held--;
            }
            for (long ticket : guards) {
                entry.removeTicket(side, ticket);
            }
            after = entry.settle();
        }
        after.forEach(Runnable::run);
    }

    private static byte[] recvControl(SocketTransport t) throws IOException {
        SocketTransport.Frame f = t.recv(PipeProtocol.MAX_MESSAGE);
        if (f.kind() != FrameLayout.RAW || f.payload().length == 0) {
            throw new IOException("not a pipe message");
        }
        return f.payload();
    }

    private static void reply(SocketTransport t, byte[] message) throws IOException {
        t.send(FrameLayout.RAW, message, 0, message.length);
    }

    /** The client side: a copy's connection to its home (see {@link PipeProtocol}). */
    public static final class Copy implements AutoCloseable {
        private final SocketTransport t;

        private Copy(SocketTransport t) {
            this.t = t;
        }

        /**
         * Connects a copy that arrived with {@code ticket} to its home and presents it.
         *
         * @throws EOFException if the home is gone, or it refused the ticket (the message says why)
         */
        public static Copy connect(String home, String id, int side, long ticket, byte[] authkey) throws IOException {
            SocketTransport t;
            try {
                t = Dial.open("unix:" + home, authkey);
            } catch (Dial.Failed f) {
                if (f.reason() == Dial.Reason.NOTHING_LISTENS) {
                    throw new EOFException("the process that opened the pipe is gone");
                }
                throw f.rethrowCause(); // the handshake's failure as it was: EOFException, timeout, AuthenticationError
            }
            try {
                byte[] hello = PipeProtocol.hello(side, ticket, id);
                reply(t, hello);
                byte[] answer = recvControl(t);
                if (answer[0] != PipeProtocol.WELCOME) {
                    throw new EOFException(PipeProtocol.textOf(answer, 1));
                }
                return new Copy(t);
            } catch (IOException | RuntimeException e) {
                t.close();
                throw e;
            }
        }

        /**
         * Claims the end: returns the connection, which carries the pipe's messages from now on.
         *
         * @throws IllegalStateException if another copy uses the end
         * @throws EOFException if the home is gone
         */
        public synchronized SocketTransport activate() throws IOException {
            reply(t, new byte[] {PipeProtocol.ACTIVATE});
            byte[] answer = recvControl(t);
            if (answer[0] == PipeProtocol.REFUSED) {
                throw new IllegalStateException(PipeProtocol.textOf(answer, 1));
            }
            if (answer[0] != PipeProtocol.OK) {
                throw new IOException("unexpected pipe message " + answer[0]);
            }
            return t;
        }

        /** This copy is serialized for another process: the ticket that copy will present. */
        public synchronized long moved(boolean leaves) throws IOException {
            reply(t, PipeProtocol.moved(leaves));
            byte[] answer = recvControl(t);
            return PipeProtocol.ticketOf(answer);
        }

        /** A ticket from {@link #moved} will never be presented. Never blocks for a reply. */
        public synchronized void voidTicket(long ticket) {
            try {
                reply(t, PipeProtocol.ticket(PipeProtocol.VOID, ticket));
            } catch (IOException gone) {
                // the home, or this connection, is gone: the ticket is void anyway
            }
        }

        /** Ends this copy (and voids the tickets it guards). */
        @Override
        public void close() {
            t.close();
        }
    }
}
