package org.multiprocessing4j.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** How many tasks a member's worker holds in flight, by the pace of its answers and its share. */
class ClusterEngineWindowTest {
    private static final long MICRO = TimeUnit.MICROSECONDS.toNanos(1);
    private static final int PLENTY = 1_000;

    @Test
    void aWorkerNotMeasuredYetOrSlowHoldsATaskAndTheNext() {
        assertThat(ClusterEngine.window(0, PLENTY)).isEqualTo(2);
        assertThat(ClusterEngine.window(TimeUnit.MILLISECONDS.toNanos(200), PLENTY)).isEqualTo(2);
    }

    @Test
    void aWorkerWithTinyTasksHoldsAMillisecondOfItsWorkUpToItsMost() {
        assertThat(ClusterEngine.window(100 * MICRO, PLENTY)).as("0.1 ms between answers").isEqualTo(10);
        assertThat(ClusterEngine.window(MICRO, PLENTY)).isEqualTo(ClusterEngine.MOST_IN_FLIGHT);
    }

    @Test
    void noWorkerHoldsMoreThanItsShareButEachHoldsATaskAndTheNext() {
        assertThat(ClusterEngine.window(MICRO, 4)).as("8 tasks over 2 workers").isEqualTo(4);
        assertThat(ClusterEngine.window(MICRO, 1)).as("fewer tasks than workers").isEqualTo(2);
    }
}
