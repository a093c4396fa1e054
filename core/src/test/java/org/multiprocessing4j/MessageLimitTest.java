package org.multiprocessing4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.multiprocessing4j.drivers.MessageLimitDriver;
import org.multiprocessing4j.internal.codec.Codec;
import org.multiprocessing4j.testing.JavaDriver;

/**
 * A message larger than the limit is refused at the call, naming the limit, with nothing sent and the
 * connection or queue still usable; a receiver refuses a longer one before allocating it. The limit is
 * lowered to 1 MiB with {@code multiprocessing4j.maxMessageBytes} in a program of its own, so that
 * nothing here needs gigabytes.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class MessageLimitTest {
    private static final String LIMIT = "exceeds the message limit of 1048576 bytes (multiprocessing4j.maxMessageBytes)";

    private static List<String> command(String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of(JavaDriver.java(),
                "-Dmultiprocessing4j.maxMessageBytes=1048576", "-cp", JavaDriver.testClassPath(),
                MessageLimitDriver.class.getName()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    @Test
    void sendsAndPutsOverTheLimitAreRefusedNamingItAndNothingIsSent() throws Exception {
        JavaDriver.Result r = JavaDriver.start(command()).await(Duration.ofSeconds(60));
        assertThat(r.status()).as(r.toString()).isZero();
        assertThat(r.value("bytes")).startsWith("a byte[] of 2097152 elements").contains(LIMIT)
                .endsWith("nothing was sent");
        assertThat(r.value("string")).startsWith("a String of 2097152 bytes in UTF-8").contains(LIMIT);
        assertThat(r.value("longs")).startsWith("a long[] of 262144 elements").contains(LIMIT);
        assertThat(r.value("list")).startsWith("the serialized form of an object of java.util.ArrayList")
                .contains(LIMIT);
        assertThat(r.value("endless")).as("the encoder stops at the limit")
                .startsWith("the serialized form of an object of " + MessageLimitDriver.class.getName() + "$Endless")
                .contains(LIMIT);
        assertThat(r.value("fits")).isEqualTo("sent");
        assertThat(r.value("echo")).as("nothing else was sent, and the connection still works")
                .isEqualTo("a byte[] of 1048575, still usable");
        assertThat(r.value("put")).startsWith("a byte[] of 2097152 elements").contains(LIMIT);
        assertThat(r.value("putObject")).contains("$Endless").contains(LIMIT);
        assertThat(r.value("childPut")).as("a put from another process than the queue's")
                .startsWith("the serialized form of an object of java.util.ArrayList").contains(LIMIT);
        assertThat(r.value("taken")).as("nothing was put but what came after").isEqualTo("after");
        assertThat(r.value("takenInChild")).as("items of the largest size, each in a reply of its own")
                .isEqualTo("1048575,1048575,1048575");
        assertThat(r.value("exits")).isEqualTo("0,0,0");
    }

    @Test
    void aReceiverRefusesAMessageOverItsLimitBeforeReadingIt() throws Exception {
        String key = "a key for tests";
        JavaDriver.Running driver = JavaDriver.start(command("receive", key));
        try {
            String out = driver.awaitOutput("address=", Duration.ofSeconds(30));
            String address = out.lines().filter(l -> l.startsWith("address=")).findFirst().orElseThrow()
                    .substring("address=".length());
            try (Connection c = Client.connect(address, key.getBytes())) {
                try {
                    c.sendBytes(new byte[3 << 20]); // this JVM's limit is the default
                } catch (ProcessError closedUnread) {
                    // the receiver left it unread and closed: more than the socket's buffers could hold
                }
                JavaDriver.Result r = driver.await(Duration.ofSeconds(30));
                assertThat(r.status()).as(r.toString()).isZero();
                assertThat(r.value("received")).contains("3145728 bytes, more than the message limit of")
                        .contains("multiprocessing4j.maxMessageBytes");
            }
        } finally {
            driver.killTree();
        }
    }

    @Test
    void theDefaultLimitIsTheLargestFrameLessTheProtocolsHeadroom() {
        assertThatThrownBy(() -> Codec.checkBody(Integer.MAX_VALUE, 8, "a long[]"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a long[] of 2147483647 elements (17179869176 bytes) exceeds the message limit of "
                        + (Integer.MAX_VALUE - 16 - 64 * 1024) + " bytes; nothing was sent");
    }
}
