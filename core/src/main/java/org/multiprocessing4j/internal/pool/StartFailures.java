package org.multiprocessing4j.internal.pool;

/**
 * When a pool gives up starting workers: after {@value #ATTEMPTS} workers of one slot in a row died
 * before they were ready, that is connected (a class path or a JVM option the child cannot use, a crash
 * at start, an initializer that throws: a worker connects once its initializer has returned). A worker
 * that connects resets its slot's count. Not thread-safe: the engine's lock guards it.
 */
final class StartFailures {
    /** Workers of one slot that may die in a row before connecting, before the pool gives up. */
    static final int ATTEMPTS = 3;

    private final int[] inARow; // per slot

    StartFailures(int slots) {
        this.inARow = new int[slots];
    }

    /** A worker of {@code slot} has connected. */
    void connected(int slot) {
        inARow[slot] = 0;
    }

    /** A worker of {@code slot} died before it connected; returns whether that was one too many. */
    boolean died(int slot) {
        return ++inARow[slot] >= ATTEMPTS;
    }

    /** How many workers of {@code slot} died in a row before connecting. */
    int inARow(int slot) {
        return inARow[slot];
    }
}
