package org.multiprocessing4j.internal.wait;

import java.time.Duration;

/**
 * When a wait gives up: an instant of {@link System#nanoTime()}, or never. The public methods take a
 * {@link Duration} and turn it at their edge into a deadline ({@link #of(Duration)}, or unboxed
 * {@link #at(Duration)}) or a timeout in nanoseconds ({@link #nanos(Duration)},
 * {@link #timeoutNanos(Duration)}); what null and a negative timeout mean is said by each method here.
 *
 * <p>A wait that must not allocate carries the same deadline unboxed, as a {@code long} instant with
 * {@link #NEVER} for none ({@link #at(long)}, {@link #remainingNanos(long)}). A timeout handed on to
 * an internal call is a number of nanoseconds, negative for none ({@link #timeoutNanos()}), as the
 * queue protocol and the transport take it.
 *
 * @param at the instant ({@link System#nanoTime()}), or {@link #NEVER}
 */
public record Deadline(long at) {
    /** The unboxed deadline of a wait without one. */
    public static final long NEVER = Long.MAX_VALUE;

    /** No deadline: the wait lasts as long as it takes. */
    public static final Deadline FOREVER = new Deadline(NEVER);

    /** The longest timeout counted, some 146 years: longer ones are as good as none but stay finite. */
    private static final long LONGEST = Long.MAX_VALUE / 2;

    /**
     * The deadline {@code timeout} from now: null is {@link #FOREVER}; zero or negative is now (a wait
     * tries once).
     */
    public static Deadline of(Duration timeout) {
        return timeout == null ? FOREVER : new Deadline(at(timeout));
    }

    /** The unboxed {@link #of(Duration)}: null is {@link #NEVER}; zero or negative is now. */
    public static long at(Duration timeout) {
        return timeout == null ? NEVER : at(nanos(timeout));
    }

    /** The deadline {@code timeoutNanos} from now; negative is {@link #FOREVER}. */
    public static Deadline afterNanos(long timeoutNanos) {
        return timeoutNanos < 0 ? FOREVER : new Deadline(at(timeoutNanos));
    }

    /** The deadline {@code timeoutMillis} from now; negative is {@link #FOREVER}. */
    public static Deadline afterMillis(long timeoutMillis) {
        return timeoutMillis < 0 ? FOREVER : afterNanos(saturatedNanos(Duration.ofMillis(timeoutMillis)));
    }

    /** The unboxed deadline {@code timeoutNanos} from now; negative is {@link #NEVER}. */
    public static long at(long timeoutNanos) {
        return timeoutNanos < 0 ? NEVER : System.nanoTime() + Math.min(timeoutNanos, LONGEST);
    }

    /** Nanoseconds left until the unboxed deadline {@code at}: 0 once it has passed, {@link Long#MAX_VALUE} for {@link #NEVER}. */
    public static long remainingNanos(long at) {
        return at == NEVER ? Long.MAX_VALUE : Math.max(0, at - System.nanoTime());
    }

    /** {@code d} in nanoseconds, saturated at {@link Long#MIN_VALUE} and {@link Long#MAX_VALUE} instead of overflowing. */
    public static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException overflow) {
            return d.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    /** A timeout that is not null in nanoseconds, saturated; negative is zero. */
    public static long nanos(Duration timeout) {
        return Math.max(0, saturatedNanos(timeout));
    }

    /**
     * A public method's timeout as an internal call takes it: null waits for ever (-1), a negative one
     * is zero.
     */
    public static long timeoutNanos(Duration timeout) {
        return timeout == null ? -1 : nanos(timeout);
    }

    /** Whether there is no deadline. */
    public boolean isForever() {
        return at == NEVER;
    }

    /** Nanoseconds left: 0 once it has passed, {@link Long#MAX_VALUE} for {@link #FOREVER}. */
    public long remainingNanos() {
        return remainingNanos(at);
    }

    /** The time left as a timeout for an internal call: -1 for {@link #FOREVER}, else 0 or more. */
    public long timeoutNanos() {
        return at == NEVER ? -1 : Math.max(0, at - System.nanoTime());
    }

    /** Whether it has passed; never for {@link #FOREVER}. */
    public boolean expired() {
        return at != NEVER && at - System.nanoTime() <= 0;
    }
}
