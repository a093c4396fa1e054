package org.multiprocessing4j.internal.wait;

import java.time.Duration;

/**
 * When a wait gives up, the one internal form of a timeout: an instant of {@link System#nanoTime()}
 * held in a {@code long}, or {@link #NEVER}. Unboxed, so that a wait allocates nothing. The public
 * methods take a {@link Duration} and turn it at their edge into a deadline ({@link #at(Duration)}) or a
 * timeout in nanoseconds ({@link #nanos(Duration)}, {@link #timeoutNanos(Duration)}); a wait then asks
 * {@link #remainingNanos(long)}. What null and a negative timeout mean is said by each method here.
 */
public final class Deadline {
    /** The deadline of a wait without one. */
    public static final long NEVER = Long.MAX_VALUE;

    /** The longest timeout counted, some 146 years: longer ones are as good as none but stay finite. */
    private static final long LONGEST = Long.MAX_VALUE / 2;

    private Deadline() {
    }

    /** The deadline {@code timeout} from now: null is {@link #NEVER}; zero or negative is now (a wait tries once). */
    public static long at(Duration timeout) {
        return timeout == null ? NEVER : at(nanos(timeout));
    }

    /** The deadline {@code timeoutNanos} from now; negative is {@link #NEVER}. */
    public static long at(long timeoutNanos) {
        return timeoutNanos < 0 ? NEVER : System.nanoTime() + Math.min(timeoutNanos, LONGEST);
    }

    /** Nanoseconds left until {@code at}: 0 once it has passed, {@link Long#MAX_VALUE} for {@link #NEVER}. */
    public static long remainingNanos(long at) {
        return at == NEVER ? Long.MAX_VALUE : Math.max(0, at - System.nanoTime());
    }

    /** A timeout that is not null in nanoseconds, saturated instead of overflowing; negative is zero. */
    public static long nanos(Duration timeout) {
        try {
            return Math.max(0, timeout.toNanos());
        } catch (ArithmeticException overflow) {
            return timeout.isNegative() ? 0 : Long.MAX_VALUE;
        }
    }

    /**
     * A public method's timeout as an internal call takes it: null waits for ever (-1), a negative one
     * is zero.
     */
    public static long timeoutNanos(Duration timeout) {
        return timeout == null ? -1 : nanos(timeout);
    }
}
