package org.multiprocessing4j.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.AuthenticationError;

class EnvelopeTest {
    private static final byte[] KEY = "k".getBytes(StandardCharsets.UTF_8);

    @Test
    void anEnvelopeOpensWithItsKeyAlone() {
        UUID session = UUID.randomUUID();
        byte[] sealed = new Envelope(ClusterWire.TASK, session, 42, new byte[] {1, 2, 3}).seal(KEY);
        Envelope e = Envelope.open(sealed, KEY);
        assertThat(e.kind()).isEqualTo(ClusterWire.TASK);
        assertThat(e.session()).isEqualTo(session);
        assertThat(e.seq()).isEqualTo(42);
        assertThat(e.body()).containsExactly(1, 2, 3);
        assertThatThrownBy(() -> Envelope.open(sealed, "K".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(AuthenticationError.class);
    }

    @Test
    void everyByteIsCoveredBySignature() {
        byte[] sealed = new Envelope(ClusterWire.TASK, UUID.randomUUID(), 7, new byte[] {9, 9}).seal(KEY);
        for (int i = 0; i < sealed.length; i++) {
            byte[] tampered = sealed.clone();
            tampered[i] ^= 1;
            assertThatThrownBy(() -> Envelope.open(tampered, KEY)).as("byte %d", i).isInstanceOf(AuthenticationError.class);
        }
        assertThatThrownBy(() -> Envelope.open(new byte[10], KEY)).isInstanceOf(AuthenticationError.class);
    }

    @Test
    void aBodyWrittenStraightIntoItsEnvelopeIsTheSameBytesAndIsReadWhereItLies() {
        UUID session = UUID.randomUUID();
        byte[] message = {'M', 1, 2, 3, 4, 5};
        byte[] straight = Envelope.seal(ClusterWire.TASK, session, 9, KEY, 4, out -> out.put(message, 1, 4));
        assertThat(straight).isEqualTo(new Envelope(ClusterWire.TASK, session, 9, new byte[] {1, 2, 3, 4}).seal(KEY));

        Envelope.Opened opened = Envelope.openInPlace(straight, KEY);
        assertThat(opened.body().array()).isSameAs(straight); // a view, not a copy
        assertThat(bytes(opened.body())).containsExactly(1, 2, 3, 4);
        assertThat(List.of(opened.kind(), opened.session(), opened.seq())).containsExactly(ClusterWire.TASK, session, 9L);
    }

    @Test
    void anEnvelopeInsideLargerBytesOpensWhereItLiesAndNotOneByteMore() {
        UUID session = UUID.randomUUID();
        byte[] sealed = new Envelope(ClusterWire.ANSWER, session, 2, new byte[] {5, 6, 7}).seal(KEY);
        byte[] around = new byte[sealed.length + 20];
        System.arraycopy(sealed, 0, around, 16, sealed.length);
        Envelope.Opened opened = Envelope.openInPlace(around, 16, sealed.length, KEY);
        assertThat(opened.body().array()).isSameAs(around);
        assertThat(bytes(opened.body())).containsExactly(5, 6, 7);
        assertThatThrownBy(() -> Envelope.openInPlace(around, 16, sealed.length + 1, KEY))
                .isInstanceOf(AuthenticationError.class);
        assertThatThrownBy(() -> Envelope.openInPlace(around, 15, sealed.length, KEY))
                .isInstanceOf(AuthenticationError.class);
    }

    @Test
    void aBodyWrittenShortOrLongIsRefusedAndACutMessageIsReportedAsSuch() {
        assertThatThrownBy(() -> Envelope.seal(ClusterWire.TASK, UUID.randomUUID(), 1, KEY, 4, out -> out.put((byte) 1)))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> Envelope.seal(ClusterWire.TASK, UUID.randomUUID(), 1, KEY, 1, out -> out.putInt(1)))
                .isInstanceOf(BufferOverflowException.class);
        byte[] body = ClusterWire.open(new ClusterWire.Open(1, 2, 3, new byte[] {4}, "127.0.0.1:5"));
        for (int cut = 0; cut < body.length; cut++) {
            byte[] shorter = java.util.Arrays.copyOf(body, cut);
            assertThatThrownBy(() -> ClusterWire.readOpen(shorter)).as("cut at %d", cut).isInstanceOf(IOException.class);
        }
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
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
