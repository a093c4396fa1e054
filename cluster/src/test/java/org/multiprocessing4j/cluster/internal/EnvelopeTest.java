package org.multiprocessing4j.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.AuthenticationError;

class EnvelopeTest {
    private static final byte[] KEY = "k".getBytes(StandardCharsets.UTF_8);

    @Test
    void anEnvelopeOpensWithItsKeyAlone() {
        UUID session = UUID.randomUUID();
        byte[] sealed = new Envelope(ClusterWire.RUN, session, 42, new byte[] {1, 2, 3}).seal(KEY);
        Envelope e = Envelope.open(sealed, KEY);
        assertThat(e.kind()).isEqualTo(ClusterWire.RUN);
        assertThat(e.session()).isEqualTo(session);
        assertThat(e.seq()).isEqualTo(42);
        assertThat(e.body()).containsExactly(1, 2, 3);
        assertThatThrownBy(() -> Envelope.open(sealed, "K".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(AuthenticationError.class);
    }

    @Test
    void everyByteIsCoveredBySignature() {
        byte[] sealed = new Envelope(ClusterWire.RUN, UUID.randomUUID(), 7, new byte[] {9, 9}).seal(KEY);
        for (int i = 0; i < sealed.length; i++) {
            byte[] tampered = sealed.clone();
            tampered[i] ^= 1;
            assertThatThrownBy(() -> Envelope.open(tampered, KEY)).as("byte %d", i).isInstanceOf(AuthenticationError.class);
        }
        assertThatThrownBy(() -> Envelope.open(new byte[10], KEY)).isInstanceOf(AuthenticationError.class);
    }

    @Test
    void sessionKeysDifferWithEitherNonce() {
        byte[] a = Envelope.sessionKey(KEY, new byte[16], new byte[16]);
        byte[] nonce = new byte[16];
        nonce[0] = 1;
        assertThat(Envelope.sessionKey(KEY, nonce, new byte[16])).isNotEqualTo(a);
        assertThat(Envelope.sessionKey(KEY, new byte[16], nonce)).isNotEqualTo(a);
    }

    @Test
    void aWindowTakesEachNumberOnceInAnyOrderAndRefusesTheTooOld() {
        ReplayWindow w = new ReplayWindow();
        assertThat(w.take(0)).isFalse();
        assertThat(w.take(5)).isTrue();
        assertThat(w.take(3)).isTrue();
        assertThat(w.take(5)).isFalse();
        assertThat(w.take(3)).isFalse();
        assertThat(w.take(4)).isTrue();
        assertThat(w.take(5 + ReplayWindow.SIZE)).isTrue();
        assertThat(w.take(4)).isFalse();  // older than the window
        assertThat(w.take(6)).isTrue();   // skipped, inside the window
        assertThat(w.take(6)).isFalse();
        long far = 10L * ReplayWindow.SIZE;
        assertThat(w.take(far)).isTrue();
        assertThat(w.take(far - 1)).isTrue(); // the bits of a jump are cleared
        assertThat(w.take(far - 1)).isFalse();
    }

    @Test
    void aThreadsMacIsAlwaysTheKeyItIsGivenNowEvenInAnArrayRewrittenSince() throws Exception {
        byte[] data = "the same message".getBytes(StandardCharsets.UTF_8);
        byte[] key = "first key".getBytes(StandardCharsets.UTF_8);
        byte[] other = "other key".getBytes(StandardCharsets.UTF_8);
        assertThat(Envelope.mac(key, data, 0, data.length)).isEqualTo(reference(key, data));
        assertThat(Envelope.mac(other, data, 0, data.length)).isEqualTo(reference(other, data));
        assertThat(Envelope.mac(key, data, 0, data.length)).isEqualTo(reference(key, data));
        key[0] = 'F'; // the same array, another key
        assertThat(Envelope.mac(key, data, 0, data.length)).isEqualTo(reference(key, data))
                .isNotEqualTo(reference("first key".getBytes(StandardCharsets.UTF_8), data));
        assertThat(Envelope.mac(key, data, 4, 3)).isEqualTo(reference(key, java.util.Arrays.copyOfRange(data, 4, 7)));
        assertThatThrownBy(() -> Envelope.mac(new byte[0], data, 0, data.length)).isInstanceOf(IllegalArgumentException.class);
    }

    private static byte[] reference(byte[] key, byte[] data) throws Exception {
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data);
    }
}
