package org.multiprocessing4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.multiprocessing4j.drivers.NamesDriver;
import org.multiprocessing4j.testing.JavaDriver;

@Timeout(value = 90, unit = TimeUnit.SECONDS)
class NamesAndIdentityTest {

    @ParameterizedTest
    @ValueSource(strings = {"spawn", "forkserver"})
    void namesPidsAndParentsAsInPython(String method) throws Exception {
        JavaDriver.Result r = JavaDriver.runWith(method, Duration.ofSeconds(60), NamesDriver.class);
        assertThat(r.status()).as(r.toString()).isZero();

        assertThat(r.value("main.name")).isEqualTo("MainProcess");
        assertThat(r.value("first")).isEqualTo("Process-1");
        assertThat(r.value("named")).isEqualTo("custom");
        assertThat(r.value("third")).isEqualTo("Process-3");
        assertThat(r.value("worker")).isEqualTo("Worker-4");
        assertThat(r.value("worker.name")).isEqualTo("Worker-4");

        assertThat(r.value("child.name")).isEqualTo("Process-1");
        assertThat(r.value("child.pid")).isEqualTo(r.value("child.ownpid")).isEqualTo(r.value("first.pid"));
        assertThat(r.value("child.daemon")).isEqualTo("false");
        assertThat(r.value("child.alive")).isEqualTo("true");
        assertThat(r.value("parent.pid")).isEqualTo(r.value("main.pid"));
        assertThat(r.value("parent.name")).isEqualTo("MainProcess");
        assertThat(r.value("parent.alive")).isEqualTo("true");
        assertThat(r.value("parent.join")).as("the parent is still running").isEqualTo("false");

        assertThat(r.value("grandchild.default")).isEqualTo("Process-1:1");
        assertThat(r.value("grandchild.name")).isEqualTo("Process-1:1");
        assertThat(r.value("grandchild.parent.name")).isEqualTo("Process-1");
        assertThat(r.value("grandchild.parent.pid")).isEqualTo(r.value("child.pid"));
        assertThat(r.value("grandchild.exit")).isEqualTo("0");
        assertThat(r.value("child.children.after")).isEqualTo("0");
        assertThat(r.value("exit")).isEqualTo("0,0");
    }
}
