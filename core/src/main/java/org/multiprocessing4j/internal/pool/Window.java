package org.multiprocessing4j.internal.pool;

import java.util.concurrent.TimeUnit;

/**
 * How many tasks a place that runs them (a worker of a local pool, the workers of a cluster's member)
 * holds in flight: about {@value #WORK_MICROS} µs of work by the place's recent pace, so that it never
 * waits for the round trip that brings its next task, and tiny tasks travel many per write; a place
 * whose tasks are slow holds only the least it is given, so that work goes where there is room.
 *
 * <p>The pace is a moving average of the time between the answers of a busy place (for a place with
 * several workers, its answers come that much more often, and its window is that much wider).
 */
public final class Window {
    /** How much of a place's work, by its recent pace, its window holds. */
    public static final long WORK_MICROS = 1_000;

    private Window() {
    }

    /**
     * The pace after a task that took {@code tookNanos}, from {@code paceNanos} (0: none measured yet,
     * the first measure is taken as it is). A task measured as taking no time counts as 1 ns, so that a
     * measured pace is never 0.
     */
    public static long nextPace(long paceNanos, long tookNanos) {
        long took = Math.max(1, tookNanos);
        return paceNanos == 0 ? took : (7 * paceNanos + took) / 8;
    }

    /**
     * The tasks in flight for a place of that pace: {@value #WORK_MICROS} µs of its work, at least
     * {@code least} (also while no pace is measured) and at most {@code most}.
     */
    public static int size(long paceNanos, int least, int most) {
        if (paceNanos <= 0) {
            return least;
        }
        long work = TimeUnit.MICROSECONDS.toNanos(WORK_MICROS) / paceNanos;
        return (int) Math.max(least, Math.min(most, work));
    }
}
