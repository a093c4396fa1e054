package org.multiprocessing4j.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class HmacSha256Test {

    @Test
    void rfc4231TestVectors() {
        // test case 1
        assertThat(hex(HmacSha256.mac(repeat((byte) 0x0b, 20), ascii("Hi There"))))
                .isEqualTo("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
        // test case 2: a key shorter than the output
        assertThat(hex(HmacSha256.mac(ascii("Jefe"), ascii("what do ya want for nothing?"))))
                .isEqualTo("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
        // test case 6: a key longer than the block, which is hashed first
        assertThat(hex(HmacSha256.mac(repeat((byte) 0xaa, 131),
                ascii("Test Using Larger Than Block-Size Key - Hash Key First"))))
                .isEqualTo("60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
    }

    @Test
    void sha256OfTheEmptyStringAndOfAbc() {
        assertThat(hex(HmacSha256.sha256(new byte[0])))
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assertThat(hex(HmacSha256.sha256(ascii("abc"))))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void agreesWithTheJdksMacAndDigestOnEveryLengthAroundTheBlockBoundaries() throws Exception {
        Random random = new Random(42);
        Mac jdk = Mac.getInstance("HmacSHA256");
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        int[] keyLengths = {1, 16, 32, 63, 64, 65, 128, 200};
        for (int messageLength = 0; messageLength <= 200; messageLength++) {
            byte[] message = new byte[messageLength];
            random.nextBytes(message);
            assertThat(HmacSha256.sha256(message)).as("sha256, %d bytes", messageLength).isEqualTo(sha.digest(message));
            for (int keyLength : keyLengths) {
                byte[] key = new byte[keyLength];
                random.nextBytes(key);
                jdk.init(new SecretKeySpec(key, "HmacSHA256"));
                assertThat(HmacSha256.mac(key, message)).as("key %d, message %d bytes", keyLength, messageLength)
                        .isEqualTo(jdk.doFinal(message));
            }
        }
    }

    @Test
    void anEmptyKeyIsRefusedAsTheJdkRefusesIt() {
        assertThatThrownBy(() -> HmacSha256.mac(new byte[0], ascii("x"))).isInstanceOf(IllegalArgumentException.class);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] repeat(byte b, int n) {
        byte[] out = new byte[n];
        java.util.Arrays.fill(out, b);
        return out;
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
