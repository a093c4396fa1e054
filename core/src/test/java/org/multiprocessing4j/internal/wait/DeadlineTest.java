package org.multiprocessing4j.internal.wait;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;

/** The one form of a timeout inside the library, from each of the forms the public methods take. */
class DeadlineTest {

    @Test
    void noTimeoutIsNever() {
        assertThat(Deadline.at((Duration) null)).isEqualTo(Deadline.NEVER);
        assertThat(Deadline.at(-5L)).isEqualTo(Deadline.NEVER);
        assertThat(Deadline.remainingNanos(Deadline.NEVER)).isEqualTo(Long.MAX_VALUE);
        assertThat(Deadline.timeoutNanos(null)).as("handed on to an internal call: -1").isEqualTo(-1);
    }

    @Test
    void zeroOrANegativeDurationHasAlreadyPassed() {
        for (Duration d : new Duration[] {Duration.ZERO, Duration.ofSeconds(-3)}) {
            long at = Deadline.at(d);
            assertThat(at).isNotEqualTo(Deadline.NEVER);
            assertThat(Deadline.remainingNanos(at)).isZero();
        }
        assertThat(Deadline.remainingNanos(Deadline.at(0L))).isZero();
        assertThat(Deadline.nanos(Duration.ofMillis(-1))).isZero();
        assertThat(Deadline.timeoutNanos(Duration.ofMillis(-1))).isZero();
    }

    @Test
    void aTimeoutCountsDownFromNow() {
        long before = System.nanoTime();
        long at = Deadline.at(Duration.ofSeconds(60));
        long after = System.nanoTime();
        assertThat(at).isBetween(before + 60_000_000_000L, after + 60_000_000_000L);
        assertThat(Deadline.remainingNanos(at)).isBetween(1L, 60_000_000_000L);
        assertThat(Deadline.remainingNanos(Deadline.at(60_000_000_000L))).isBetween(59_000_000_000L, 60_000_000_000L);
        assertThat(Deadline.timeoutNanos(Duration.ofMillis(3))).isEqualTo(3_000_000);
        assertThat(Deadline.remainingNanos(System.nanoTime() - 1)).as("passed: 0, never negative").isZero();
    }

    @Test
    void aPassedDeadlineHasNothingLeft() {
        long at = Deadline.at(1_000_000L);
        long limit = System.nanoTime() + 10_000_000_000L;
        while (Deadline.remainingNanos(at) > 0 && System.nanoTime() < limit) {
            Thread.onSpinWait();
        }
        assertThat(Deadline.remainingNanos(at)).isZero();
    }

    @Test
    void hugeTimeoutsSaturateInsteadOfOverflowing() {
        Duration huge = ChronoUnit.FOREVER.getDuration();
        assertThat(Deadline.nanos(huge)).isEqualTo(Long.MAX_VALUE);
        assertThat(Deadline.nanos(huge.negated())).isZero();
        long far = Deadline.at(huge);
        assertThat(far).as("finite, though far").isNotEqualTo(Deadline.NEVER);
        assertThat(Deadline.remainingNanos(far)).isGreaterThan(Long.MAX_VALUE / 4);
        assertThat(Deadline.at(Long.MAX_VALUE)).as("not NEVER by overflow").isNotEqualTo(Deadline.NEVER);
        assertThat(Deadline.remainingNanos(Deadline.at(Long.MAX_VALUE))).isGreaterThan(0);
    }
}
