package org.multiprocessing4j.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.AuthenticationError;

class BodyCipherTest {
    private static final byte[] AUTHKEY = "k".getBytes(StandardCharsets.UTF_8);

    @Test
    void aBodyEncryptedForOneEnvelopeReadsInThatEnvelopeAloneAndShowsNothing() {
        byte[] key = BodyCipher.sessionKey(AUTHKEY, new byte[16], new byte[16]);
        assertThat(key).isNotEqualTo(Envelope.sessionKey(AUTHKEY, new byte[16], new byte[16])); // not the MAC's key
        UUID session = UUID.randomUUID();
        byte[] secret = "the secret argument".getBytes(StandardCharsets.UTF_8);
        byte[] body = BodyCipher.encrypt(key, ClusterWire.TASK, session, 3, secret);
        assertThat(new String(body, StandardCharsets.ISO_8859_1)).doesNotContain("secret");
        assertThat(BodyCipher.encrypt(key, ClusterWire.TASK, session, 3, secret)).isNotEqualTo(body); // a fresh iv

        assertThat(BodyCipher.decrypt(key, new Envelope(ClusterWire.TASK, session, 3, body))).isEqualTo(secret);
        assertThatThrownBy(() -> BodyCipher.decrypt(key, new Envelope(ClusterWire.TASK, session, 4, body)))
                .isInstanceOf(AuthenticationError.class);
        assertThatThrownBy(() -> BodyCipher.decrypt(key, new Envelope(ClusterWire.OPEN, session, 3, body)))
                .isInstanceOf(AuthenticationError.class);
        byte[] otherKey = BodyCipher.sessionKey(AUTHKEY, new byte[16], new byte[] {1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
        assertThatThrownBy(() -> BodyCipher.decrypt(otherKey, new Envelope(ClusterWire.TASK, session, 3, body)))
                .isInstanceOf(AuthenticationError.class);
        assertThatThrownBy(() -> BodyCipher.decrypt(key, new Envelope(ClusterWire.TASK, session, 3, secret)))
                .isInstanceOf(AuthenticationError.class); // a body in the clear
    }
}
