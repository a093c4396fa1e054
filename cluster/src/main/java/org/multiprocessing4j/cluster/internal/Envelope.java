package org.multiprocessing4j.cluster.internal;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.UUID;
import java.util.function.Consumer;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.multiprocessing4j.AuthenticationError;

/**
 * Everything a driver and a member say to each other crosses the cluster as one envelope, a
 * {@code byte[]}, signed with HMAC-SHA256; it is checked before a byte of it is read. The only place its
 * layout is written down (the bodies: {@link ClusterWire}).
 *
 * <pre>
 *   mac (32) | kind (1) | session (16: the driver's UUID, most significant half first) | seq (int64) | body
 *   mac = HMAC-SHA256(key, kind | session | seq | body)
 * </pre>
 *
 * The key of a {@code HELLO} and its answer is the cluster's authkey; a HELLO names the member it is for
 * and a session epoch higher than any before, so it cannot be replayed to another member or again. Every
 * later envelope of a session is signed with the session's key, {@code HMAC-SHA256(authkey,
 * "mp4j-session" | driver nonce | member nonce)}, which only holders of the authkey can compute, and
 * carries the driver's sequence number, which a member takes once ({@link ReplayWindow}): a recorded
 * message cannot be replayed, in its session or another. A refusal ({@link ClusterWire#REFUSED}) is the
 * one envelope not signed (its mac is zeros): it carries a reason for a peer whose key may be wrong, and is
 * only reported, never obeyed.
 */
public record Envelope(byte kind, UUID session, long seq, byte[] body) {
    public static final int MAC_BYTES = 32;
    static final int HEAD_BYTES = MAC_BYTES + 1 + 16 + 8;
    private static final String ALGORITHM = "HmacSHA256";

    /** This envelope, signed with {@code key} ({@code null}: unsigned, a refusal). */
    public byte[] seal(byte[] key) {
        return seal(kind, session, seq, key, body.length, out -> out.put(body));
    }

    /**
     * An envelope signed with {@code key} ({@code null}: unsigned), its body of {@code length} bytes
     * written by {@code body} straight into it: a task's or an answer's bytes are copied once, into the
     * envelope, not first into a body of their own.
     *
     * @param body writes exactly {@code length} bytes at the buffer's position (relative puts only)
     * @throws IllegalStateException if {@code body} wrote fewer bytes ({@code BufferOverflowException}: more)
     */
    public static byte[] seal(byte kind, UUID session, long seq, byte[] key, int length, Consumer<ByteBuffer> body) {
        byte[] out = new byte[HEAD_BYTES + length];
        ByteBuffer b = ByteBuffer.wrap(out, MAC_BYTES, HEAD_BYTES - MAC_BYTES + length).put(kind)
                .putLong(session.getMostSignificantBits()).putLong(session.getLeastSignificantBits()).putLong(seq);
        body.accept(b);
        checkWhole(b, length);
        if (key != null) {
            System.arraycopy(mac(key, out, MAC_BYTES, out.length - MAC_BYTES), 0, out, 0, MAC_BYTES);
        }
        return out;
    }

    /**
     * A message of a session, signed with its key {@code key}: as {@link #seal(byte, UUID, long, byte[], int,
     * Consumer)}, its body first written on its own and encrypted when the session's bodies are
     * ({@code cipherKey} not null, see {@link BodyCipher}).
     */
    public static byte[] sealForSession(byte kind, UUID session, long seq, byte[] key, byte[] cipherKey, int length,
            Consumer<ByteBuffer> body) {
        if (cipherKey == null) {
            return seal(kind, session, seq, key, length, body);
        }
        byte[] plain = written(length, body);
        return new Envelope(kind, session, seq, BodyCipher.encrypt(cipherKey, kind, session, seq, plain)).seal(key);
    }

    /** A body of {@code length} bytes written by {@code body} into an array of its own. */
    static byte[] written(int length, Consumer<ByteBuffer> body) {
        byte[] b = new byte[length];
        ByteBuffer out = ByteBuffer.wrap(b);
        body.accept(out);
        checkWhole(out, length);
        return b;
    }

    private static void checkWhole(ByteBuffer written, int length) {
        if (written.hasRemaining()) {
            throw new IllegalStateException("a body of " + length + " bytes had " + written.remaining() + " unwritten");
        }
    }

    /**
     * An envelope checked where it lies: its body is a view of the sealed bytes (a buffer from position 0,
     * on the sealed array), not a copy; neither is written while it is read.
     */
    public record Opened(byte kind, UUID session, long seq, ByteBuffer body) {
        /** As an envelope, its body copied. */
        public Envelope envelope() {
            byte[] b = new byte[body.remaining()];
            body.duplicate().get(b);
            return new Envelope(kind, session, seq, b);
        }

        /** This envelope, its body decrypted with {@code cipherKey}; itself if that is null (bodies in the clear). */
        public Opened decrypted(byte[] cipherKey) {
            return cipherKey == null ? this
                    : new Opened(kind, session, seq, ByteBuffer.wrap(BodyCipher.decrypt(cipherKey, envelope())));
        }
    }

    /**
     * The envelope {@code sealed}, if it was signed with {@code key}.
     *
     * @throws AuthenticationError if it is too short or its signature is not {@code key}'s: nothing of it
     *     was read
     */
    public static Envelope open(byte[] sealed, byte[] key) {
        return openInPlace(sealed, key).envelope();
    }

    /**
     * As {@link #open}, the body left where it is ({@link Opened}).
     *
     * @throws AuthenticationError if it is too short or its signature is not {@code key}'s: nothing of it
     *     was read
     */
    public static Opened openInPlace(byte[] sealed, byte[] key) {
        if (sealed == null) {
            throw new AuthenticationError("a message of the cluster too short to be signed");
        }
        return openInPlace(sealed, 0, sealed.length, key);
    }

    /**
     * As {@link #openInPlace(byte[], byte[])}, for the envelope that is the {@code length} bytes of
     * {@code bytes} from {@code offset}: its body a view of them (a buffer on {@code bytes}, from its
     * position to its limit).
     */
    public static Opened openInPlace(byte[] bytes, int offset, int length, byte[] key) {
        if (length < HEAD_BYTES) {
            throw new AuthenticationError("a message of the cluster too short to be signed");
        }
        byte[] expected = mac(key, bytes, offset + MAC_BYTES, length - MAC_BYTES);
        if (!MessageDigest.isEqual(expected, java.util.Arrays.copyOfRange(bytes, offset, offset + MAC_BYTES))) {
            throw new AuthenticationError("a message of the cluster whose signature does not match this authkey");
        }
        return read(bytes, offset, length);
    }

    /** The kind of {@code sealed}, unchecked: to tell a refusal from a message that must be opened. */
    public static byte kindOf(byte[] sealed) {
        return sealed != null && sealed.length >= HEAD_BYTES ? sealed[MAC_BYTES] : 0;
    }

    /**
     * A refusal, read without a key: only to report it.
     *
     * @throws java.io.IOException if it is corrupt
     */
    public static ClusterWire.Refusal openRefusal(byte[] sealed) throws java.io.IOException {
        if (kindOf(sealed) != ClusterWire.REFUSED) {
            throw new IllegalArgumentException("not a refusal");
        }
        return ClusterWire.readRefusal(read(sealed, 0, sealed.length).envelope().body());
    }

    /** A refusal, to seal with no key. */
    public static Envelope refusal(UUID session, byte why, String reason) {
        return new Envelope(ClusterWire.REFUSED, session == null ? new UUID(0, 0) : session, 0,
                ClusterWire.refusal(new ClusterWire.Refusal(why, reason)));
    }

    /**
     * The session an envelope names, read before it is verified (to find the key to verify it with);
     * null if it is too short to be one.
     */
    public static UUID sessionOf(byte[] sealed) {
        if (sealed == null || sealed.length < HEAD_BYTES) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(sealed, MAC_BYTES + 1, 16);
        return new UUID(b.getLong(), b.getLong());
    }

    private static Opened read(byte[] sealed, int offset, int length) {
        ByteBuffer b = ByteBuffer.wrap(sealed, offset + MAC_BYTES, length - MAC_BYTES);
        byte kind = b.get();
        UUID session = new UUID(b.getLong(), b.getLong());
        long seq = b.getLong();
        return new Opened(kind, session, seq, b.slice());
    }

    /**
     * A {@code Mac} per thread, and a copy of the key it was last initialised with: looking one up, or
     * initialising it again with the same key, costs more than the HMAC of a small message.
     */
    private static final class ThreadMac {
        final Mac mac;
        byte[] key; // null: not initialised, or left in an unknown state

        ThreadMac(Mac mac) {
            this.mac = mac;
        }
    }

    private static final ThreadLocal<ThreadMac> MACS = ThreadLocal.withInitial(() -> {
        try {
            return new ThreadMac(Mac.getInstance(ALGORITHM));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is part of every JDK", e);
        }
    });

    /** HMAC-SHA256 of {@code length} bytes of {@code data} from {@code offset}. */
    static byte[] mac(byte[] key, byte[] data, int offset, int length) {
        ThreadMac t = MACS.get();
        try {
            if (t.key == null || !java.util.Arrays.equals(t.key, key)) {
                t.key = null;
                t.mac.init(new SecretKeySpec(key, ALGORITHM));
                t.key = key.clone();
            }
            t.mac.update(data, offset, length);
            return t.mac.doFinal(); // which leaves the Mac as init left it, for the next message
        } catch (GeneralSecurityException e) {
            t.key = null;
            throw new IllegalStateException("HMAC-SHA256 is part of every JDK", e);
        } catch (RuntimeException e) {
            t.key = null;
            throw e;
        }
    }

    /**
     * The key of one worker of a session's pool, which its member gives it instead of the session's key:
     * {@code HMAC-SHA256(key, "mp4j-worker" | pool | worker)}, of the session's key (or of its encryption
     * key, for the worker's). Its driver derives it from the worker's number, so a worker can speak for
     * itself alone, and cannot sign the session's own messages.
     */
    public static byte[] workerKey(byte[] key, int pool, int worker) {
        byte[] data = ByteBuffer.allocate(11 + 8).put("mp4j-worker".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .putInt(pool).putInt(worker).array();
        return mac(key, data, 0, data.length);
    }

    /**
     * The key of one link of a worker: {@code HMAC-SHA256(workerKey, "mp4j-link" | nonce)}, the nonce the
     * driver sent first on the link; so a link's frames, its hello first, pass on no other link.
     */
    public static byte[] linkKey(byte[] workerKey, byte[] nonce) {
        byte[] data = ByteBuffer.allocate(9 + nonce.length).put("mp4j-link".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .put(nonce).array();
        return mac(workerKey, data, 0, data.length);
    }

    /** The key of a session: {@code HMAC-SHA256(authkey, "mp4j-session" | driverNonce | memberNonce)}. */
    public static byte[] sessionKey(byte[] authkey, byte[] driverNonce, byte[] memberNonce) {
        byte[] data = ByteBuffer.allocate(12 + driverNonce.length + memberNonce.length)
                .put("mp4j-session".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .put(driverNonce).put(memberNonce).array();
        return mac(authkey, data, 0, data.length);
    }
}
