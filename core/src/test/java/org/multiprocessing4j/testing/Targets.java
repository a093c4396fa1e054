package org.multiprocessing4j.testing;

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
}
