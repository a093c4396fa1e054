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
    void aRunAndAnAnswerWrittenStraightIntoTheirEnvelopesAreTheSameBytesAndAreReadWhereTheyLie() throws Exception {
        UUID session = UUID.randomUUID();
        byte[] message = {'M', 1, 2, 3, 4, 5};
        ClusterWire.Run run = new ClusterWire.Run(3, 77, 5, new byte[] {7, 7}, 1_000, ByteBuffer.wrap(message, 1, 4));
        byte[] straight = Envelope.seal(ClusterWire.RUN, session, 9, KEY, ClusterWire.runLength(run),
                out -> ClusterWire.writeRun(out, run));
        assertThat(straight).isEqualTo(new Envelope(ClusterWire.RUN, session, 9, ClusterWire.run(run)).seal(KEY));

        Envelope.Opened opened = Envelope.openInPlace(straight, KEY);
        assertThat(opened.body().array()).isSameAs(straight); // a view, not a copy
        ClusterWire.Run read = ClusterWire.readRun(opened.body());
        assertThat(read.message().array()).isSameAs(straight);
        assertThat(bytes(read.message())).containsExactly(1, 2, 3, 4); // the part of the message that was given
        assertThat(List.of(read.pool(), read.task(), read.fnId(), read.timeoutNanos())).containsExactly(3, 77L, 5, 1_000L);
        assertThat(read.fn()).containsExactly(7, 7);

        ClusterWire.Answer answer = new ClusterWire.Answer(77, read.message());
        byte[] answered = Envelope.seal(ClusterWire.ANSWER, session, 9, KEY, ClusterWire.answerLength(answer),
                out -> ClusterWire.writeAnswer(out, answer));
        ClusterWire.Answer back = ClusterWire.readAnswer(Envelope.openInPlace(answered, KEY).body());
        assertThat(back.task()).isEqualTo(77);
        assertThat(bytes(back.message())).containsExactly(1, 2, 3, 4);
        assertThat(Envelope.open(answered, KEY).body()).isEqualTo(ClusterWire.answer(answer));
    }

    @Test
    void aBodyWrittenShortOrLongIsRefusedAndACorruptRunIsReportedAsSuch() {
        assertThatThrownBy(() -> Envelope.seal(ClusterWire.RUN, UUID.randomUUID(), 1, KEY, 4, out -> out.put((byte) 1)))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> Envelope.seal(ClusterWire.RUN, UUID.randomUUID(), 1, KEY, 1, out -> out.putInt(1)))
                .isInstanceOf(BufferOverflowException.class);
        byte[] body = ClusterWire.run(new ClusterWire.Run(1, 2, 3, new byte[0], 0, ByteBuffer.wrap(new byte[] {'M', 0})));
        for (int cut = 0; cut < body.length; cut++) {
            byte[] shorter = java.util.Arrays.copyOf(body, cut);
            assertThatThrownBy(() -> ClusterWire.readRun(shorter)).as("cut at %d", cut).isInstanceOf(IOException.class);
        }
        byte[] longer = java.util.Arrays.copyOf(body, body.length + 1);
        assertThatThrownBy(() -> ClusterWire.readRun(longer)).isInstanceOf(IOException.class);
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
