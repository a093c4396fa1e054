package org.multiprocessing4j.internal.pool;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The window of tasks in flight at a place, from the pace of its answers. */
class WindowTest {
    private static final long MICRO = TimeUnit.MICROSECONDS.toNanos(1);

    @Test
    void thePaceTakesItsFirstMeasureAsItIsThenMovesAnEighthTowardsEachNext() {
        assertThat(Window.nextPace(0, 800 * MICRO)).isEqualTo(800 * MICRO);
        assertThat(Window.nextPace(800 * MICRO, 0)).isEqualTo(700 * MICRO);
        assertThat(Window.nextPace(800 * MICRO, 1_600 * MICRO)).isEqualTo(900 * MICRO);
    }

    @Test
    void aWindowHoldsAboutAMillisecondOfWorkWithinItsBounds() {
        assertThat(Window.size(0, 2, 64)).as("no pace measured yet").isEqualTo(2);
        assertThat(Window.size(TimeUnit.SECONDS.toNanos(1), 2, 64)).as("slow tasks").isEqualTo(2);
        assertThat(Window.size(100 * MICRO, 2, 64)).as("0.1 ms a task").isEqualTo(10);
        assertThat(Window.size(MICRO, 2, 64)).as("tiny tasks").isEqualTo(64);
    }
}
