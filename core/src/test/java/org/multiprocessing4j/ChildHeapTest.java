package org.multiprocessing4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.multiprocessing4j.drivers.HeapDriver;
import org.multiprocessing4j.testing.JavaDriver;

/**
 * A child's collector: the serial one (with a young generation of 16 MiB), unless the user's options
 * for children, or a JVM option variable a child inherits, choose a collector or a heap size. Each
 * case starts a program whose child logs its collector ({@code -Xlog:gc}: "Using Serial", "Using G1").
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ChildHeapTest {

    private static String childLog(String childOptions, Map<String, String> env) throws Exception {
        List<String> cmd = List.of(JavaDriver.java(), "-Dmultiprocessing4j.jvmOptions=" + childOptions,
                "-cp", JavaDriver.testClassPath(), HeapDriver.class.getName());
        JavaDriver.Result r = JavaDriver.start(cmd, env).await(Duration.ofSeconds(60));
        assertThat(r.status()).as(r.toString()).isZero();
        assertThat(r.lines()).contains("child ran");
        return r.stdout();
    }

    @Test
    void byDefaultAChildRunsTheSerialCollector() throws Exception {
        assertThat(childLog("-Xlog:gc", Map.of())).contains("Using Serial").doesNotContain("Using G1");
    }

    @Test
    void aCollectorOrAHeapSizeTheUserChoseWins() throws Exception {
        assertThat(childLog("-XX:+UseParallelGC -Xlog:gc", Map.of())).contains("Using Parallel")
                .doesNotContain("Using Serial");
        assertThat(childLog("-Xmx256m -Xlog:gc", Map.of())).as("a heap size alone: the JVM's own collector")
                .contains("Using G1").doesNotContain("Using Serial");
        assertThat(childLog("-Xlog:gc", Map.of("JDK_JAVA_OPTIONS", "-XX:+UseParallelGC")))
                .as("an option variable the child inherits").contains("Using Parallel").doesNotContain("Using Serial");
    }
}
