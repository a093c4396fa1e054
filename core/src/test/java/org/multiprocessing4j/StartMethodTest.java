package org.multiprocessing4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.multiprocessing4j.drivers.StartMethodDriver;
import org.multiprocessing4j.testing.JavaDriver;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StartMethodTest {

    @AfterEach
    void reset() {
        Multiprocessing.setStartMethod(null, true);
    }

    @Test
    void spawnIsTheDefaultAndForkserverTheAlternative() {
        assertThat(Multiprocessing.getStartMethod()).isEqualTo("spawn");
        assertThat(Multiprocessing.getAllStartMethods()).containsExactly("spawn", "forkserver");
    }

    @Test
    void aProgramChoosesItsDefaultWithASystemProperty() throws Exception {
        JavaDriver.Result r = JavaDriver.runWith("forkserver", Duration.ofSeconds(60), StartMethodDriver.class);
        assertThat(r.status()).as(r.toString()).isZero();
        assertThat(r.value("parent")).isEqualTo("forkserver");
        assertThat(r.value("child")).as("a child inherits its parent's method").isEqualTo("forkserver");
    }

    @Test
    void startMethodIsSetOnce() {
        Multiprocessing.setStartMethod(null, true);
        Multiprocessing.setStartMethod("spawn");
        assertThatThrownBy(() -> Multiprocessing.setStartMethod("spawn"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("already been set");
        Multiprocessing.setStartMethod("spawn", true);
    }

    @Test
    void unknownMethodsAreRefusedClearly() {
        assertThatThrownBy(() -> Multiprocessing.getContext("fork"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot fork");
        assertThatThrownBy(() -> Multiprocessing.setStartMethod("threads", true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'threads'");
    }

    @Test
    void aContextStartsProcessesWithItsMethod() {
        Context ctx = Multiprocessing.getContext("spawn");
        assertThat(ctx.getStartMethod()).isEqualTo("spawn");
        Process p = ctx.process(() -> System.exit(7), "ctx-child");
        assertThat(p.name()).isEqualTo("ctx-child");
        p.start();
        p.join();
        assertThat(p.exitCode()).isEqualTo(7);
    }
}
