package org.multiprocessing4j.internal.wire;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.multiprocessing4j.AuthenticationError;
import org.multiprocessing4j.internal.runtime.Urandom;

/**
 * Mutual authentication of a new connection with a shared authkey, before anything else is read
 * (Python's {@code deliver_challenge}/{@code answer_challenge}, with HMAC-SHA256):
 *
 * <pre>
 *   challenger                               answerer
 *   RAW "#CHALLENGE#" + 32 random bytes  --&gt;
 *                                        &lt;--  RAW HMAC-SHA256(authkey, that whole message)
 *   RAW "#WELCOME#" or "#FAILURE#"       --&gt;
 * </pre>
 *
 * The side that accepted challenges first, then answers; the side that connected answers, then
 * challenges. Every handshake frame is at most {@link #MAX_FRAME} bytes, so an unauthenticated peer
 * cannot make us allocate more; nothing it sends is deserialized.
 *
 * <p>A server authenticates its peers with an {@link Acceptor}, which runs this exchange for many peers
 * at once; {@link #asClient} and {@link #asServer} run it on one connection, blocking. Either way the
 * whole exchange has a deadline, {@link #timeoutNanos()} ({@code -Dmultiprocessing4j.handshakeTimeoutMillis},
 * default {@value #DEFAULT_TIMEOUT_MILLIS} ms), so that a silent peer is given up on.
 */
public final class Handshake {
    static final int MAX_FRAME = 256;
    static final long DEFAULT_TIMEOUT_MILLIS = 5_000;
    static final byte[] WELCOME = "#WELCOME#".getBytes(StandardCharsets.US_ASCII);
    static final byte[] FAILURE = "#FAILURE#".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CHALLENGE = "#CHALLENGE#".getBytes(StandardCharsets.US_ASCII);
    private static final int NONCE = 32;

    private Handshake() {
    }

    /** How long a whole handshake may take, from {@code -Dmultiprocessing4j.handshakeTimeoutMillis}. */
    public static long timeoutNanos() {
        long millis = Long.getLong("multiprocessing4j.handshakeTimeoutMillis", DEFAULT_TIMEOUT_MILLIS);
        return TimeUnit.MILLISECONDS.toNanos(millis > 0 ? millis : DEFAULT_TIMEOUT_MILLIS);
    }

    /**
     * The accepting side, on one connection: challenge the peer, then answer its challenge. Blocks for
     * at most {@link #timeoutNanos()}; at the deadline the transport is closed and this throws
     * {@link SocketTimeoutException}.
     */
    public static void asServer(SocketTransport t, byte[] authkey) throws IOException {
        withDeadline(t, timeoutNanos(), () -> {
            challenge(t, authkey);
            answer(t, authkey);
        });
    }

    /**
     * The connecting side: answer the peer's challenge, then challenge it. Blocks for at most
     * {@link #timeoutNanos()}; at the deadline the transport is closed and this throws
     * {@link SocketTimeoutException}.
     */
    public static void asClient(SocketTransport t, byte[] authkey) throws IOException {
        asClient(t, authkey, timeoutNanos());
    }

    static void asClient(SocketTransport t, byte[] authkey, long timeoutNanos) throws IOException {
        withDeadline(t, timeoutNanos, () -> {
            answer(t, authkey);
            challenge(t, authkey);
        });
    }

    // ---- the exchange's pieces, shared with the Acceptor's non-blocking rendering of it -----------

    /** Our challenge: the prefix and a fresh nonce. */
    static byte[] newChallenge() {
        return concat(CHALLENGE, Urandom.bytes(NONCE));
    }

    /** Whether {@code response} proves that the peer knows {@code authkey}, for our {@code challenge}. */
    static boolean proves(byte[] authkey, byte[] challenge, byte[] response) {
        return MessageDigest.isEqual(response, HmacSha256.mac(authkey, challenge));
    }

    /**
     * Our answer to the peer's {@code challenge}.
     *
     * @throws AuthenticationError if it is not a challenge
     */
    static byte[] response(byte[] authkey, byte[] challenge) {
        if (challenge.length != CHALLENGE.length + NONCE
                || !Arrays.equals(challenge, 0, CHALLENGE.length, CHALLENGE, 0, CHALLENGE.length)) {
            throw new AuthenticationError("the peer did not start with an authentication challenge");
        }
        return HmacSha256.mac(authkey, challenge);
    }

    static AuthenticationError wrongDigest() {
        return new AuthenticationError("digest received was wrong: the peer does not know the authkey");
    }

    static AuthenticationError rejected() {
        return new AuthenticationError("digest sent was rejected: the peer uses another authkey");
    }

    static AuthenticationError tooLong(int length) {
        return new AuthenticationError("the peer sent " + length + " bytes during authentication");
    }

    static AuthenticationError notRaw() {
        return new AuthenticationError("the peer sent an object during authentication");
    }

    /** A whole {@link FrameLayout#RAW} frame carrying {@code payload}, ready to write. */
    static ByteBuffer frame(byte[] payload) {
        return FrameLayout.putHeader(ByteBuffer.allocate(FrameLayout.HEADER_LENGTH + payload.length), FrameLayout.RAW,
                payload.length).put(payload).flip();
    }

    // ---- blocking, on a SocketTransport ---------------------------------------------------------

    private static void challenge(SocketTransport t, byte[] authkey) throws IOException {
        byte[] message = newChallenge();
        t.send(FrameLayout.RAW, message, 0, message.length);
        byte[] response = receive(t);
        if (!proves(authkey, message, response)) {
            t.send(FrameLayout.RAW, FAILURE, 0, FAILURE.length);
            throw wrongDigest();
        }
        t.send(FrameLayout.RAW, WELCOME, 0, WELCOME.length);
    }

    private static void answer(SocketTransport t, byte[] authkey) throws IOException {
        byte[] digest = response(authkey, receive(t));
        t.send(FrameLayout.RAW, digest, 0, digest.length);
        byte[] verdict = receive(t);
        if (!Arrays.equals(verdict, WELCOME)) {
            throw rejected();
        }
    }

    private static byte[] receive(SocketTransport t) throws IOException {
        SocketTransport.Frame f;
        try {
            f = t.recv(MAX_FRAME);
        } catch (SocketTransport.FrameTooLongException e) {
            throw tooLong(e.length());
        }
        if (f.kind() != FrameLayout.RAW) {
            throw notRaw();
        }
        return f.payload();
    }

    /** What runs within a deadline. */
    private interface Exchange {
        void run() throws IOException;
    }

    /**
     * Runs {@code exchange}; if it has not finished after {@code timeoutNanos}, closes the transport
     * (which wakes a blocked send or receive) and throws {@link SocketTimeoutException}.
     */
    private static void withDeadline(SocketTransport t, long timeoutNanos, Exchange exchange) throws IOException {
        final int running = 0;
        final int done = 1;
        final int expired = 2;
        AtomicInteger state = new AtomicInteger(running);
        ScheduledFuture<?> alarm = Alarm.EXECUTOR.schedule(() -> {
            if (state.compareAndSet(running, expired)) {
                t.close();
            }
        }, timeoutNanos, TimeUnit.NANOSECONDS);
        try {
            exchange.run();
        } catch (IOException | RuntimeException e) {
            if (state.get() == expired) {
                throw timedOut(timeoutNanos);
            }
            throw e;
        } finally {
            alarm.cancel(false);
        }
        if (!state.compareAndSet(running, done)) {
            throw timedOut(timeoutNanos); // the alarm closed the transport just as the exchange ended
        }
    }

    private static SocketTimeoutException timedOut(long timeoutNanos) {
        return new SocketTimeoutException("the peer did not complete authentication within "
                + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms");
    }

    /**
     * The alarm that closes a transport at its handshake's deadline: one daemon thread, there only
     * while some handshake is pending.
     */
    private static final class Alarm {
        static final ScheduledThreadPoolExecutor EXECUTOR = new ScheduledThreadPoolExecutor(1, r -> {
            Thread thread = new Thread(r, "mp4j-handshake-deadline");
            thread.setDaemon(true);
            return thread;
        });

        static {
            EXECUTOR.setRemoveOnCancelPolicy(true);
            EXECUTOR.setKeepAliveTime(1, TimeUnit.SECONDS);
            EXECUTOR.allowCoreThreadTimeOut(true);
        }

        private Alarm() {
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
