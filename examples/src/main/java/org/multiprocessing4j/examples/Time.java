package org.multiprocessing4j.examples;

import org.multiprocessing4j.ProcessError;

/** Python's {@code time.sleep} for the examples, without the checked exception. */
final class Time {
    private Time() {
    }

    /**
     * Sleeps for whole seconds.
     *
     * @throws ProcessError if interrupted; the interrupt flag is restored
     */
    static void sleep(long seconds) {
        try {
            Thread.sleep(seconds * 1000L);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProcessError("interrupted while sleeping", e);
        }
    }
}
