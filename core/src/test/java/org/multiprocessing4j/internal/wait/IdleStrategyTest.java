package org.multiprocessing4j.internal.wait;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The phases of a wait: spins, then yields, then park; and the adaptive choice of spinning on a connection. */
class IdleStrategyTest {

    @Test
    void spinsThenYieldsThenParks() {
        IdleStrategy s = new IdleStrategy(3, 2, 0);
        assertThat(s.idlesBeforeParking()).isEqualTo(5);
        for (int n = 0; n < 3; n++) {
            assertThat(s.isYielding(n)).isFalse();
            assertThat(s.idleSpinningOrYielding(n)).isTrue();
        }
        for (int n = 3; n < 5; n++) {
            assertThat(s.isYielding(n)).isTrue();
            assertThat(s.idleSpinningOrYielding(n)).isTrue();
        }
        assertThat(s.idleSpinningOrYielding(5)).as("then park").isFalse();
        assertThat(s.idleSpinningOrYielding(Integer.MAX_VALUE)).isFalse();
        assertThat(new IdleStrategy(0, 0, 0).idleSpinningOrYielding(0)).as("park at once").isFalse();
        assertThatThrownBy(() -> new IdleStrategy(-1, 0, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theNamedStrategiesKeepTheirTimings() {
        assertThat(IdleStrategy.SHARED_MEMORY.idlesBeforeParking()).isEqualTo(256 + 4);
        assertThat(IdleStrategy.SHARED_MEMORY.isYielding(255)).isFalse();
        assertThat(IdleStrategy.SHARED_MEMORY.isYielding(256)).isTrue();
        assertThat(IdleStrategy.SHARED_MEMORY.spinNanos()).isZero();
        assertThat(IdleStrategy.SOCKET.idlesBeforeParking()).isZero();
        assertThat(IdleStrategy.SOCKET.spinNanos())
                .isEqualTo(Long.getLong("multiprocessing4j.spinMicros", 50) * 1_000);
    }

    @Test
    void aSpinByTimeEndsAtItsEnd() {
        assertThat(IdleStrategy.idleSpinningUntil(System.nanoTime() - 1)).isFalse();
        long end = System.nanoTime() + 1_000_000;
        int turns = 0;
        long limit = System.nanoTime() + 10_000_000_000L;
        while (IdleStrategy.idleSpinningUntil(end) && System.nanoTime() < limit) {
            turns++;
        }
        assertThat(System.nanoTime()).isGreaterThanOrEqualTo(end);
        assertThat(turns).isPositive();
    }

    @Test
    void adaptiveSpinsWhileWaitsEndWithinItThenParksAndProbes() {
        long window = Math.min(20_000, IdleStrategy.SOCKET.spinNanos());
        IdleStrategy.Adaptive a = new IdleStrategy.Adaptive(20_000);
        assertThat(a.spinNanosBeforeWait()).isEqualTo(window);
        a.afterWait(window); // a hit
        a.afterWait(window + 1); // one miss
        assertThat(a.spinNanosBeforeWait()).as("one miss is not enough").isEqualTo(window);
        a.afterWait(window + 1); // two misses in a row: stop spinning
        int parked = 0;
        while (a.spinNanosBeforeWait() == 0) {
            a.afterWait(window + 1);
            parked++;
        }
        assertThat(parked).as("the waits between probes park").isEqualTo(31);
        a.afterWait(1); // the probe was a hit: spin again
        assertThat(a.spinNanosBeforeWait()).isEqualTo(window);
        assertThat(new IdleStrategy.Adaptive(0).spinNanosBeforeWait()).isZero();
    }
}
