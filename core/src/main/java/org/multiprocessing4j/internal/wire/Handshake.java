package org.multiprocessing4j.internal.wire;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import org.multiprocessing4j.AuthenticationError;

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
 */
public final class Handshake {
    static final int MAX_FRAME = 256;
    private static final byte[] CHALLENGE = "#CHALLENGE#".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] WELCOME = "#WELCOME#".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FAILURE = "#FAILURE#".getBytes(StandardCharsets.US_ASCII);
    private static final int NONCE = 32;

    private Handshake() {
    }

    /** The accepting side: challenge the peer, then answer its challenge. */
    public static void asServer(SocketTransport t, byte[] authkey) throws IOException {
        challenge(t, authkey);
        answer(t, authkey);
    }

    /** The connecting side: answer the peer's challenge, then challenge it. */
    public static void asClient(SocketTransport t, byte[] authkey) throws IOException {
        answer(t, authkey);
        challenge(t, authkey);
    }

    private static void challenge(SocketTransport t, byte[] authkey) throws IOException {
        byte[] message = concat(CHALLENGE, Urandom.bytes(NONCE));
        t.send(FrameLayout.RAW, message, 0, message.length);
        byte[] response = receive(t);
        if (!MessageDigest.isEqual(response, hmac(authkey, message))) {
            t.send(FrameLayout.RAW, FAILURE, 0, FAILURE.length);
            throw new AuthenticationError("digest received was wrong: the peer does not know the authkey");
        }
        t.send(FrameLayout.RAW, WELCOME, 0, WELCOME.length);
    }

    private static void answer(SocketTransport t, byte[] authkey) throws IOException {
        byte[] message = receive(t);
        if (message.length != CHALLENGE.length + NONCE
                || !Arrays.equals(message, 0, CHALLENGE.length, CHALLENGE, 0, CHALLENGE.length)) {
            throw new AuthenticationError("the peer did not start with an authentication challenge");
        }
        byte[] digest = hmac(authkey, message);
        t.send(FrameLayout.RAW, digest, 0, digest.length);
        byte[] verdict = receive(t);
        if (!Arrays.equals(verdict, WELCOME)) {
            throw new AuthenticationError("digest sent was rejected: the peer uses another authkey");
        }
    }

    private static byte[] receive(SocketTransport t) throws IOException {
        SocketTransport.Frame f;
        try {
            f = t.recv(MAX_FRAME);
        } catch (SocketTransport.FrameTooLongException e) {
            throw new AuthenticationError("the peer sent " + e.length() + " bytes during authentication");
        }
        if (f.kind() != FrameLayout.RAW) {
            throw new AuthenticationError("the peer sent an object during authentication");
        }
        return f.payload();
    }

    private static byte[] hmac(byte[] authkey, byte[] message) {
        return HmacSha256.mac(authkey, message);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
