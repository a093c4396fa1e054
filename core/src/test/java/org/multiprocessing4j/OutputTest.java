package org.multiprocessing4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.multiprocessing4j.drivers.EncodingDriver;
import org.multiprocessing4j.drivers.OutputDriver;
import org.multiprocessing4j.testing.JavaDriver;

@Timeout(value = 90, unit = TimeUnit.SECONDS)
class OutputTest {

    @ParameterizedTest
    @ValueSource(strings = {"spawn", "forkserver"})
    void childrenPrintToTheParentsStreamsAndCrashesAreReportedAsInPython(String method) throws Exception {
        JavaDriver.Result r = JavaDriver.runWith(method, Duration.ofSeconds(60), OutputDriver.class);
        assertThat(r.status()).as(r.toString()).isZero();
        assertThat(r.lines()).contains("out from child", "stdin=-1");
        assertThat(r.stderr()).contains("err from child");
        assertThat(r.stderr()).contains("Process crasher:")
                .contains("java.lang.IllegalStateException: boom in child")
                .contains("at org.multiprocessing4j.drivers.OutputDriver");
        assertThat(r.value("exit")).isEqualTo("0,1");
    }

    @Test
    void aChildPrintsWithItsParentsStdoutEncoding() throws Exception {
        JavaDriver.Running driver = JavaDriver.start(java.util.List.of(JavaDriver.java(),
                "-Dstdout.encoding=UTF-8", "-Dsun.stdout.encoding=UTF-8",
                "-cp", JavaDriver.testClassPath(), EncodingDriver.class.getName()), java.util.Map.of("LC_ALL", "POSIX"));
        JavaDriver.Result r = driver.await(Duration.ofSeconds(60));
        assertThat(r.status()).as(r.toString()).isZero();
        assertThat(r.lines()).containsExactly("parent: 메인 프로그램", "child: 서브 프로그램");
    }
}