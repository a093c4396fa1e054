package org.multiprocessing4j.cluster.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.UUID;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.multiprocessing4j.AuthenticationError;

/**
 * The optional encryption of a session's bodies: AES-256-GCM under a key derived from the authkey and
 * the session's nonces ({@link #sessionKey}), with the JDK's own crypto. Off unless the system property
 * {@code multiprocessing4j.cluster.encrypt} is {@code true}, on the driver and on every member alike (a
 * member refuses a driver that differs, and a driver a member). A HELLO and its WELCOME are never
 * encrypted: they hold nonces, an address, a pid and class-path digests, and must be read before a
 * session has a key.
 *
 * <pre>
 *   an encrypted body: iv (12, random) | AES-GCM ciphertext of the body | tag (16)
 *   associated data:   kind (1) | session (16) | seq (int64), as in the envelope's head
 * </pre>
 *
 * The envelope's MAC still covers everything, the encrypted body included, and is checked first.
 */
public final class BodyCipher {
    private static final int IV_BYTES = 12, TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private BodyCipher() {
    }

    /** Whether this JVM encrypts its sessions' bodies (system property {@code multiprocessing4j.cluster.encrypt}). */
    public static boolean enabled() {
        return Boolean.getBoolean("multiprocessing4j.cluster.encrypt");
    }

    /** The session's encryption key: {@code HMAC-SHA256(authkey, "mp4j-encrypt" | driver nonce | member nonce)}. */
    public static byte[] sessionKey(byte[] authkey, byte[] driverNonce, byte[] memberNonce) {
        byte[] data = ByteBuffer.allocate(12 + driverNonce.length + memberNonce.length)
                .put("mp4j-encrypt".getBytes(StandardCharsets.US_ASCII)).put(driverNonce).put(memberNonce).array();
        return Envelope.mac(authkey, data, 0, data.length);
    }

    /** {@code body} encrypted for the envelope of {@code kind}, {@code session} and {@code seq}. */
    public static byte[] encrypt(byte[] key, byte kind, UUID session, long seq, byte[] body) {
        byte[] iv = new byte[IV_BYTES];
        RANDOM.nextBytes(iv);
        try {
            Cipher c = cipher(Cipher.ENCRYPT_MODE, key, iv, kind, session, seq);
            byte[] out = new byte[IV_BYTES + c.getOutputSize(body.length)];
            System.arraycopy(iv, 0, out, 0, IV_BYTES);
            c.doFinal(body, 0, body.length, out, IV_BYTES);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every JDK", e);
        }
    }

    /**
     * The body of {@code e}, decrypted.
     *
     * @throws AuthenticationError if it was not encrypted with {@code key} for this envelope
     */
    public static byte[] decrypt(byte[] key, Envelope e) {
        byte[] in = e.body();
        if (in.length < IV_BYTES + TAG_BITS / 8) {
            throw new AuthenticationError("a message of the cluster that is not encrypted, where it must be");
        }
        try {
            byte[] iv = java.util.Arrays.copyOf(in, IV_BYTES);
            return cipher(Cipher.DECRYPT_MODE, key, iv, e.kind(), e.session(), e.seq())
                    .doFinal(in, IV_BYTES, in.length - IV_BYTES);
        } catch (javax.crypto.AEADBadTagException bad) {
            throw new AuthenticationError("a message of the cluster not encrypted with this session's key");
        } catch (GeneralSecurityException impossible) {
            throw new IllegalStateException("AES-GCM is part of every JDK", impossible);
        }
    }

    private static Cipher cipher(int mode, byte[] key, byte[] iv, byte kind, UUID session, long seq)
            throws GeneralSecurityException {
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, iv));
        c.updateAAD(ByteBuffer.allocate(1 + 16 + 8).put(kind).putLong(session.getMostSignificantBits())
                .putLong(session.getLeastSignificantBits()).putLong(seq).array());
        return c;
    }
}
