package org.multiprocessing4j.internal.pool;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** When a pool gives up starting workers: per slot, in a row, reset by a connection. */
class StartFailuresTest {

    @Test
    void theThirdDeathInARowInOneSlotIsOneTooMany() {
        StartFailures f = new StartFailures(2);
        assertThat(f.died(0)).isFalse();
        assertThat(f.died(1)).as("slots count apart").isFalse();
        assertThat(f.died(0)).isFalse();
        assertThat(f.died(0)).isTrue();
        assertThat(f.inARow(0)).isEqualTo(StartFailures.ATTEMPTS);
    }

    @Test
    void aConnectionResetsItsSlot() {
        StartFailures f = new StartFailures(1);
        f.died(0);
        f.died(0);
        f.connected(0);
        assertThat(f.inARow(0)).isZero();
        assertThat(f.died(0)).isFalse();
        assertThat(f.died(0)).isFalse();
        assertThat(f.died(0)).isTrue();
    }
}
