package org.multiprocessing4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StartMethodTest {

    @AfterEach
    void reset() {
        Multiprocessing.setStartMethod(null, true);
    }

    @Test
    void spawnIsTheDefaultAndOnlyMethod() {
        assertThat(Multiprocessing.getStartMethod()).isEqualTo("spawn");
        assertThat(Multiprocessing.getAllStartMethods()).containsExactly("spawn");
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
