package org.multiprocessing4j.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** How many tasks a member holds in flight, by its slots, the pace of its answers and its share. */
class ClusterEngineWindowTest {
    private static final long MICRO = TimeUnit.MICROSECONDS.toNanos(1);
    private static final int PLENTY = 1_000;

    @Test
    void aMemberNotMeasuredYetOrSlowHoldsATaskAndTheNextPerSlot() {
        assertThat(ClusterEngine.window(0, 1, PLENTY)).isEqualTo(2);
        assertThat(ClusterEngine.window(0, 3, PLENTY)).isEqualTo(6);
        assertThat(ClusterEngine.window(TimeUnit.MILLISECONDS.toNanos(200), 2, PLENTY)).isEqualTo(4);
    }

    @Test
    void aMemberWithTinyTasksHoldsAMillisecondOfItsWorkUpToItsMost() {
        assertThat(ClusterEngine.window(100 * MICRO, 1, PLENTY)).as("0.1 ms between answers").isEqualTo(10);
        assertThat(ClusterEngine.window(MICRO, 1, PLENTY)).isEqualTo(ClusterEngine.MOST_PER_SLOT);
        assertThat(ClusterEngine.window(MICRO, 2, PLENTY)).isEqualTo(2 * ClusterEngine.MOST_PER_SLOT);
    }

    @Test
    void noMemberHoldsMoreThanItsSlotsShareButEachHoldsATaskAndTheNext() {
        assertThat(ClusterEngine.window(MICRO, 1, 4)).as("8 tasks over 2 slots").isEqualTo(4);
        assertThat(ClusterEngine.window(MICRO, 2, 4)).isEqualTo(8);
        assertThat(ClusterEngine.window(MICRO, 1, 1)).as("fewer tasks than slots").isEqualTo(2);
    }
}
