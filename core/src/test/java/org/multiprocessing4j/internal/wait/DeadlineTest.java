package org.multiprocessing4j.internal.wait;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;

/** The one form of a timeout inside the library, from each of the forms the public methods take. */
class DeadlineTest {

    @Test
    void noTimeoutIsForever() {
        for (Deadline d : new Deadline[] {Deadline.of(null), Deadline.afterNanos(-1), Deadline.afterMillis(-1),
            Deadline.FOREVER}) {
            assertThat(d.isForever()).isTrue();
            assertThat(d.expired()).isFalse();
            assertThat(d.remainingNanos()).isEqualTo(Long.MAX_VALUE);
            assertThat(d.timeoutNanos()).as("handed on to an internal call: -1").isEqualTo(-1);
            assertThat(d.at()).isEqualTo(Deadline.NEVER);
        }
        assertThat(Deadline.at((Duration) null)).isEqualTo(Deadline.NEVER);
        assertThat(Deadline.at(-5L)).isEqualTo(Deadline.NEVER);
        assertThat(Deadline.remainingNanos(Deadline.NEVER)).isEqualTo(Long.MAX_VALUE);
        assertThat(Deadline.timeoutNanos(null)).isEqualTo(-1);
    }

    @Test
    void zeroOrANegativeDurationHasAlreadyPassed() {
        for (Deadline d : new Deadline[] {Deadline.of(Duration.ZERO), Deadline.of(Duration.ofSeconds(-3)),
            Deadline.afterNanos(0), Deadline.afterMillis(0)}) {
            assertThat(d.isForever()).isFalse();
            assertThat(d.expired()).isTrue();
            assertThat(d.remainingNanos()).isZero();
            assertThat(d.timeoutNanos()).isZero();
        }
        assertThat(Deadline.nanos(Duration.ofMillis(-1))).isZero();
        assertThat(Deadline.timeoutNanos(Duration.ofMillis(-1))).isZero();
    }

    @Test
    void aTimeoutCountsDownFromNow() {
        long before = System.nanoTime();
        Deadline d = Deadline.of(Duration.ofSeconds(60));
        long after = System.nanoTime();
        assertThat(d.isForever()).isFalse();
        assertThat(d.expired()).isFalse();
        assertThat(d.at()).isBetween(before + 60_000_000_000L, after + 60_000_000_000L);
        assertThat(d.remainingNanos()).isBetween(1L, 60_000_000_000L);
        assertThat(d.timeoutNanos()).isBetween(1L, 60_000_000_000L);
        assertThat(Deadline.afterMillis(60_000).remainingNanos()).isBetween(59_000_000_000L, 60_000_000_000L);
        assertThat(Deadline.afterNanos(60_000_000_000L).remainingNanos()).isBetween(59_000_000_000L, 60_000_000_000L);
        assertThat(Deadline.remainingNanos(System.nanoTime() - 1)).as("passed: 0, never negative").isZero();
    }

    @Test
    void aPassedDeadlineExpires() throws Exception {
        Deadline d = Deadline.afterNanos(1_000_000);
        long limit = System.nanoTime() + 10_000_000_000L;
        while (!d.expired() && System.nanoTime() < limit) {
            Thread.onSpinWait();
        }
        assertThat(d.expired()).isTrue();
        assertThat(d.remainingNanos()).isZero();
    }

    @Test
    void hugeTimeoutsSaturateInsteadOfOverflowing() {
        Duration huge = ChronoUnit.FOREVER.getDuration();
        assertThat(Deadline.saturatedNanos(huge)).isEqualTo(Long.MAX_VALUE);
        assertThat(Deadline.saturatedNanos(huge.negated())).isEqualTo(Long.MIN_VALUE);
        assertThat(Deadline.saturatedNanos(Duration.ofMillis(3))).isEqualTo(3_000_000);
        Deadline far = Deadline.of(huge);
        assertThat(far.isForever()).as("finite, though far").isFalse();
        assertThat(far.expired()).isFalse();
        assertThat(far.remainingNanos()).isGreaterThan(Long.MAX_VALUE / 4);
        assertThat(Deadline.at(Long.MAX_VALUE)).as("not NEVER by overflow").isNotEqualTo(Deadline.NEVER);
        assertThat(Deadline.remainingNanos(Deadline.at(Long.MAX_VALUE))).isGreaterThan(0);
    }
}
