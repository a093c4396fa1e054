package org.multiprocessing4j.internal.wire;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.multiprocessing4j.AuthenticationError;
import org.multiprocessing4j.internal.wait.Deadline;

/**
 * Accepts on a bound server socket and authenticates each peer off the accepting thread, so that no
 * peer, however slow or silent, holds up another: the server side of {@link Handshake}, for every
 * server of the library.
 *
 * <p>One daemon thread drives the server socket and every handshake in progress, in one selector, each
 * handshake a small non-blocking state machine (the frames it reads are at most
 * {@link Handshake#MAX_FRAME} bytes, read to the exact length so that nothing after the handshake is
 * taken). Until a peer has proved that it knows the key it costs a socket and a few hundred bytes of
 * heap, nothing more: no {@link SocketTransport}, no direct buffer, no selector of its own. Then it is
 * handed over as a ready {@link SocketTransport}.
 *
 * <p>Limits: each handshake has a deadline ({@link Handshake#timeoutNanos()}) and a peer that has not
 * finished by then is closed; at most {@code -Dmultiprocessing4j.maxPendingHandshakes} (default
 * {@value #DEFAULT_MAX_PENDING}) are in progress at once, and a new peer beyond that closes the oldest
 * one, so that a flood of peers that say nothing delays a correct client by its own round trips only.
 *
 * <p>{@link #close()} stops accepting and closes the server channel and every handshake in progress,
 * all before it returns; peers already handed over stay open.
 */
public final class Acceptor implements AutoCloseable {
    static final int DEFAULT_MAX_PENDING = 256;
    /** When the process runs out of file descriptors, how long to stop accepting before trying again. */
    private static final long ACCEPT_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final ServerSocketChannel server;
    private final Selector selector;
    private final SelectionKey serverKey;
    private final byte[] authkey;
    private final Consumer<SocketTransport> onPeer;
    private final Consumer<AuthenticationError> onRefused;
    private final long timeoutNanos;
    private final int maxPending;
    private final LinkedHashSet<Peer> pending = new LinkedHashSet<>(); // the acceptor thread's; oldest first
    private final Thread thread;
    private long acceptPausedUntil;                                     // the acceptor thread's; 0: accepting
    private final AtomicBoolean closed = new AtomicBoolean();

    private Acceptor(ServerSocketChannel server, byte[] authkey, String name, Consumer<SocketTransport> onPeer,
                     Consumer<AuthenticationError> onRefused, long timeoutNanos, int maxPending) throws IOException {
        this.server = server;
        this.authkey = authkey.clone();
        this.onPeer = onPeer;
        this.onRefused = onRefused;
        this.timeoutNanos = timeoutNanos;
        this.maxPending = maxPending;
        this.selector = Selector.open();
        try {
            server.configureBlocking(false);
            this.serverKey = server.register(selector, SelectionKey.OP_ACCEPT);
        } catch (IOException | RuntimeException e) {
            selector.close();
            throw e;
        }
        this.thread = new Thread(this::run, name);
        thread.setDaemon(true);
    }

    /**
     * Starts accepting at once on daemon threads named after {@code name}. {@code onPeer} gets each
     * authenticated peer as a ready SocketTransport (it runs on an acceptor thread: it must hand the peer
     * over, not serve it); {@code onRefused} gets each peer that failed authentication with a wrong key,
     * or that sent something other than the handshake (not the silent or slow ones, which are dropped at
     * their deadline, nor those that left).
     *
     * @throws UncheckedIOException if the server channel cannot be watched (no file descriptor left)
     */
    public static Acceptor start(ServerSocketChannel server, byte[] authkey, String name,
                                 Consumer<SocketTransport> onPeer, Consumer<AuthenticationError> onRefused) {
        int maxPending = Integer.getInteger("multiprocessing4j.maxPendingHandshakes", DEFAULT_MAX_PENDING);
        return start(server, authkey, name, onPeer, onRefused, Handshake.timeoutNanos(),
                maxPending > 0 ? maxPending : DEFAULT_MAX_PENDING);
    }

    /** {@link #start(ServerSocketChannel, byte[], String, Consumer, Consumer)} with its limits given. */
    static Acceptor start(ServerSocketChannel server, byte[] authkey, String name, Consumer<SocketTransport> onPeer,
                          Consumer<AuthenticationError> onRefused, long timeoutNanos, int maxPending) {
        Acceptor a;
        try {
            a = new Acceptor(server, authkey, name, onPeer, onRefused, timeoutNanos, maxPending);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot accept on " + server + ": " + e.getMessage(), e);
        }
        a.thread.start();
        return a;
    }

    /**
     * Stops accepting, closes the server channel and every handshake in progress; peers already handed
     * over stay open. Returns once all of that is closed (at once when called by {@code onPeer} or
     * {@code onRefused}, which then is done as soon as it returns). Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        selector.wakeup();
        if (Thread.currentThread() == thread) {
            return;
        }
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        try {
            while (!closed.get()) {
                selector.select(this::ready, selectTimeoutMillis());
                long now = System.nanoTime();
                expire(now);
                if (acceptPausedUntil != 0 && now - acceptPausedUntil >= 0) {
                    acceptPausedUntil = 0;
                    serverKey.interestOps(SelectionKey.OP_ACCEPT);
                }
            }
        } catch (IOException | ClosedSelectorException | java.nio.channels.CancelledKeyException e) {
            // the selector failed, or the server channel was closed under us: stop accepting
        } finally {
            for (Peer p : pending) {
                closeQuietly(p.channel);
            }
            pending.clear();
            closeQuietly(server);
            closeQuietly(selector); // deregisters every key, so the sockets above are closed now
        }
    }

    /** Until the next deadline (or the end of a pause in accepting); 0, without any, waits until woken. */
    private long selectTimeoutMillis() {
        long next = Long.MAX_VALUE;
        if (!pending.isEmpty()) {
            next = pending.iterator().next().deadline;
        }
        if (acceptPausedUntil != 0 && (next == Long.MAX_VALUE || acceptPausedUntil - next < 0)) {
            next = acceptPausedUntil;
        }
        if (next == Long.MAX_VALUE) {
            return 0;
        }
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(next - System.nanoTime() + 999_999));
    }

    private void ready(SelectionKey key) {
        if (key == serverKey) {
            acceptAll();
            return;
        }
        Peer p = (Peer) key.attachment();
        try {
            if (key.isValid() && key.isWritable()) {
                p.flush();
            }
            if (key.isValid() && key.isReadable()) {
                p.read();
            }
        } catch (AuthenticationError e) {
            drop(p);
            refused(e);
        } catch (IOException | RuntimeException gone) {
            drop(p); // it left, or reset the connection: nothing to report
        }
    }

    /** Takes every connection waiting, as many as there may be handshakes in progress. */
    private void acceptAll() {
        for (int i = 0; i < maxPending && !closed.get(); i++) {
            SocketChannel channel;
            try {
                channel = server.accept();
            } catch (IOException e) {
                if (!server.isOpen()) {
                    closed.set(true);
                    return;
                }
                outOfDescriptors();
                return;
            }
            if (channel == null) {
                return;
            }
            if (pending.size() >= maxPending) {
                drop(pending.iterator().next()); // the oldest makes room: see the class description
            }
            Peer p = new Peer(channel, Deadline.at(timeoutNanos));
            try {
                channel.configureBlocking(false);
                p.key = channel.register(selector, SelectionKey.OP_READ, p);
                pending.add(p);
                p.send(Handshake.frame(p.challenge));
            } catch (IOException | RuntimeException gone) {
                drop(p);
            }
        }
    }

    /**
     * Accepting failed with the server still open: no file descriptor left, most likely. Frees one (the
     * oldest handshake), or stops accepting for a moment, rather than spin on a failing accept.
     */
    private void outOfDescriptors() {
        if (!pending.isEmpty()) {
            drop(pending.iterator().next());
        } else {
            serverKey.interestOps(0);
            acceptPausedUntil = System.nanoTime() + ACCEPT_PAUSE_NANOS;
            if (acceptPausedUntil == 0) {
                acceptPausedUntil = 1;
            }
        }
    }

    /** Closes the handshakes whose deadline has passed, oldest first. */
    private void expire(long now) {
        Iterator<Peer> it = pending.iterator();
        while (it.hasNext()) {
            Peer p = it.next();
            if (now - p.deadline < 0) {
                return;
            }
            it.remove();
            p.close();
        }
    }

    private void drop(Peer p) {
        pending.remove(p);
        p.close();
    }

    private void refused(AuthenticationError e) {
        try {
            onRefused.accept(e);
        } catch (RuntimeException ignored) {
            // the consumer's own failure must not stop the accepting
        }
    }

    /** The peer proved the key: it leaves the selector and is handed over. */
    private void authenticated(Peer p) {
        pending.remove(p);
        p.key.cancel(); // deregistered at this thread's next select, which comes right after
        SocketTransport t;
        try {
            t = new SocketTransport(p.channel);
        } catch (IOException | RuntimeException e) {
            closeQuietly(p.channel);
            return;
        }
        try {
            onPeer.accept(t);
        } catch (RuntimeException e) {
            t.close();
        }
    }

    /**
     * One handshake in progress, the server's side of {@link Handshake}: send our challenge; read the
     * peer's response, send WELCOME or FAILURE; read the peer's challenge, send our response; read the
     * peer's verdict.
     */
    private final class Peer {
        final SocketChannel channel;
        final long deadline;
        final byte[] challenge = Handshake.newChallenge();
        final ByteBuffer header = ByteBuffer.allocate(FrameLayout.HEADER_LENGTH);
        SelectionKey key;
        ByteBuffer payload; // the frame being read, once its header is in
        ByteBuffer out;     // what is still to send, or null
        Stage stage = Stage.RESPONSE;
        boolean proved;     // the verdict was WELCOME: handed over once everything is sent

        Peer(SocketChannel channel, long deadline) {
            this.channel = channel;
            this.deadline = deadline;
        }

        /** Reads what has arrived, frame by frame, never past the end of the handshake. */
        void read() throws IOException {
            while (!proved) {
                if (payload == null) {
                    if (channel.read(header) < 0) {
                        throw new java.io.EOFException();
                    }
                    if (header.hasRemaining()) {
                        return;
                    }
                    int length = header.getInt(FrameLayout.LENGTH_OFFSET);
                    if (length < 0 || length > Handshake.MAX_FRAME) {
                        throw Handshake.tooLong(length);
                    }
                    if (header.get(FrameLayout.KIND_OFFSET) != FrameLayout.RAW) {
                        throw Handshake.notRaw();
                    }
                    payload = ByteBuffer.allocate(length);
                }
                if (payload.hasRemaining() && channel.read(payload) < 0) {
                    throw new java.io.EOFException();
                }
                if (payload.hasRemaining()) {
                    return;
                }
                byte[] frame = payload.array();
                payload = null;
                header.clear();
                received(frame);
            }
        }

        private void received(byte[] frame) throws IOException {
            switch (stage) {
                case RESPONSE -> {
                    if (!Handshake.proves(authkey, challenge, frame)) {
                        try {
                            channel.write(Handshake.frame(Handshake.FAILURE)); // once, as a courtesy
                        } catch (IOException ignored) {
                            // it is refused all the same
                        }
                        throw Handshake.wrongDigest();
                    }
                    send(Handshake.frame(Handshake.WELCOME));
                    stage = Stage.CHALLENGE;
                }
                case CHALLENGE -> {
                    send(Handshake.frame(Handshake.response(authkey, frame)));
                    stage = Stage.VERDICT;
                }
                case VERDICT -> {
                    if (!Arrays.equals(frame, Handshake.WELCOME)) {
                        throw Handshake.rejected();
                    }
                    proved = true;
                    if (out == null) {
                        authenticated(this);
                    }
                }
            }
        }

        /** Sends {@code frame} after whatever is still unsent; what the socket does not take waits for OP_WRITE. */
        void send(ByteBuffer frame) throws IOException {
            if (out == null) {
                out = frame;
            } else {
                out = ByteBuffer.allocate(out.remaining() + frame.remaining()).put(out).put(frame).flip();
            }
            flush();
        }

        void flush() throws IOException {
            if (out == null) {
                return;
            }
            channel.write(out);
            if (out.hasRemaining()) {
                key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
                return;
            }
            out = null;
            key.interestOps(SelectionKey.OP_READ);
            if (proved) {
                authenticated(this);
            }
        }

        void close() {
            if (key != null) {
                key.cancel();
            }
            closeQuietly(channel);
        }
    }

    private enum Stage { RESPONSE, CHALLENGE, VERDICT }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // closing is all we wanted
        }
    }
}
