package org.multiprocessing4j.testing;

import java.util.concurrent.TimeUnit;
import org.multiprocessing4j.SharedInt;

/** Bodies for child processes, as static methods so that the lambdas that call them capture nothing. */
public final class Targets {
    private Targets() {
    }

    /** Sleeps; a child that runs this must be ended by the test. */
    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Counts this task as started in {@code started}, then waits (looking every millisecond, for up to
     * {@code millis}) until {@code count} tasks have: tasks that run this finish at once only if the pool
     * runs {@code count} of them together, in as many workers.
     */
    public static void startAndAwaitOthers(SharedInt started, int count, long millis) {
        started.incrementAndGet();
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (started.get() < count && System.nanoTime() < end) {
            sleep(1);
        }
    }
}
