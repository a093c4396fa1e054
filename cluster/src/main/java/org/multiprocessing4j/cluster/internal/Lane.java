package org.multiprocessing4j.cluster.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.multiprocessing4j.internal.wire.Dial;
import org.multiprocessing4j.internal.wire.FrameLayout;
import org.multiprocessing4j.internal.wire.MessageLimit;
import org.multiprocessing4j.internal.wire.SocketTransport;

/**
 * A driver's own connection to one member, beside Hazelcast's: its first envelope, a LANE, names the
 * driver's session, which the member ends when this connection ends (so a driver killed with
 * {@code kill -9} has its workers killed at once); the messages about the session's workers that must be
 * quick (KILL, END, WATCH) travel on it, not through Hazelcast's executor. A socket of its own,
 * authenticated with the cluster's authkey before anything is read ({@link Dial}; the member's side is
 * {@link LaneServer}); the envelopes are sealed as on Hazelcast's path: the socket's handshake proves the
 * peer knows the authkey, each envelope that it belongs to the driver's session.
 *
 * <p>A frame, either way (one RAW frame of the library's sockets):
 * <pre>
 *   call (int64: this lane's number of the call; an answer carries its call's) | a sealed envelope
 * </pre>
 * Calls are answered in any order, each once.
 *
 * <p>{@link #call} never blocks for the answer; a send blocks only while the socket's buffer is full.
 * Answers complete their futures on this lane's reader thread. When the connection ends (the member
 * died or closed it, or {@link #close()}), the lane's {@code onEnd} runs, then every call not answered
 * fails with {@link Closed}, and so does every call after.
 *
 * <p>Thread-safe.
 */
final class Lane implements AutoCloseable {
    /** The lane's connection ended: the calls on it were not answered, and will not be. */
    static final class Closed extends IOException {
        private static final long serialVersionUID = 1L;

        Closed(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final SocketTransport transport;
    private final String member;
    private final Consumer<Lane> onEnd;
    private final AtomicLong calls = new AtomicLong();
    private final Map<Long, CompletableFuture<byte[]>> waiting = new ConcurrentHashMap<>();
    private volatile Closed closed;

    private Lane(SocketTransport transport, String member, Consumer<Lane> onEnd) {
        this.transport = transport;
        this.member = member;
        this.onEnd = onEnd;
    }

    /**
     * Connects to a member's data connections at {@code address} and starts reading its answers.
     *
     * @param member how the member is named in messages
     * @param onEnd takes this lane once when the connection ends, whichever way (on the thread that saw it
     *     end), after {@link #isClosed()} became true
     * @throws Dial.Failed if nothing listens there, or the handshake failed
     */
    static Lane open(String address, byte[] authkey, String member, Consumer<Lane> onEnd) throws Dial.Failed {
        SocketTransport t = Dial.open(address, authkey);
        t.parkWithoutSpinning(); // a spinning reader would take the CPU of the members' and workers' JVMs on this machine
        Lane lane = new Lane(t, member, onEnd);
        Thread reader = new Thread(lane::read, "mp4j-cluster-lane-" + member);
        reader.setDaemon(true);
        reader.start();
        return lane;
    }

    /**
     * Sends {@code sealed}; its answer, or {@link Closed} when none will come. One too large for a message
     * fails with {@link IllegalArgumentException}.
     */
    CompletableFuture<byte[]> call(byte[] sealed) {
        CompletableFuture<byte[]> answer = new CompletableFuture<>();
        if (sealed.length > MessageLimit.bytes() - Long.BYTES) {
            answer.completeExceptionally(MessageLimit.exceeded("a message of " + sealed.length + " bytes"));
            return answer;
        }
        long id = calls.incrementAndGet();
        waiting.put(id, answer);
        Closed why = closed;
        if (why != null) { // closed before the put was seen: fail it here
            fail(id, why);
            return answer;
        }
        try {
            transport.sendFrames(frame(id, sealed));
        } catch (IOException e) { // a frame may be cut: the connection is of no more use
            end(new Closed("the connection to the member " + member + " failed: " + e, e));
        }
        return answer;
    }

    /** A frame of the lane, laid out as the class description says, as two buffers to write (the envelope is not copied). */
    static ByteBuffer[] frame(long call, byte[] envelope) {
        ByteBuffer head = FrameLayout.putHeader(ByteBuffer.allocate(FrameLayout.HEADER_LENGTH + Long.BYTES),
                FrameLayout.RAW, Long.BYTES + envelope.length);
        return new ByteBuffer[] {head.putLong(call).flip(), ByteBuffer.wrap(envelope)};
    }

    /** A frame of the lane, read: its call's number and the envelope. */
    record Frame(long call, byte[] envelope) {
    }

    /** Reads the next frame on {@code t} (blocking), as {@link #frame} wrote it. */
    static Frame read(SocketTransport t) throws IOException {
        SocketTransport.View v = t.recvView(FrameLayout.MAX_PAYLOAD);
        if (v.length() < Long.BYTES) {
            throw new IOException("a frame of " + v.length() + " bytes, not a lane's");
        }
        return new Frame(ByteBuffer.wrap(v.bytes()).getLong(), Arrays.copyOfRange(v.bytes(), Long.BYTES, v.length()));
    }

    /** The reader thread: each answer completes its call; the end of the connection fails them all. */
    private void read() {
        try {
            while (true) {
                Frame f = read(transport);
                CompletableFuture<byte[]> answer = waiting.remove(f.call());
                if (answer != null) {
                    answer.complete(f.envelope());
                }
            }
        } catch (IOException | RuntimeException e) {
            end(new Closed("the connection to the member " + member + " ended: " + e.getMessage(), e));
        }
    }

    /**
     * The address this side of the connection has: where the member reaches this JVM.
     *
     * @throws java.io.UncheckedIOException if the connection is closed
     */
    java.net.InetAddress localAddress() {
        try {
            return ((java.net.InetSocketAddress) transport.channel().getLocalAddress()).getAddress();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Whether the connection has ended (or is ending): once true, it stays true. Does not block. */
    boolean isClosed() {
        return closed != null;
    }

    /** Closes the connection; the calls not answered fail with {@link Closed}. Idempotent. */
    @Override
    public void close() {
        end(new Closed("the connection to the member " + member + " was closed", null));
    }

    private void end(Closed why) {
        boolean first;
        synchronized (this) {
            first = closed == null;
            if (first) {
                closed = why;
            }
        }
        transport.close();
        if (first) {
            onEnd.accept(this); // before the calls fail: whoever waits for one sees the lane's end already taken in
        }
        for (Long id : waiting.keySet()) {
            fail(id, closed);
        }
    }

    private void fail(long id, Closed why) {
        CompletableFuture<byte[]> answer = waiting.remove(id);
        if (answer != null) {
            answer.completeExceptionally(why);
        }
    }
}
