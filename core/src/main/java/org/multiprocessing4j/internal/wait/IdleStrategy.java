package org.multiprocessing4j.internal.wait;

/**
 * How a thread waits for what another thread or process will do: spin, then yield, then park, as
 * Agrona's {@code BackoffIdleStrategy} does. A spin takes a change that comes within a few µs without
 * the wake-up of a parked thread (tens of µs on a VM); a yield gives the core to the thread that will
 * make the change; parking (in a selector, on a doorbell) costs nothing while the wait is long. Each
 * waiter keeps its own count of idles, so that a wait allocates nothing; the strategy holds only its
 * parameters, and its named instances are the ones the library waits with.
 *
 * <p>{@link Adaptive} decides, wait by wait on one connection, whether the spin is worth it at all.
 */
public final class IdleStrategy {
    /**
     * A wait on a lock, semaphore, condition or barrier in shared memory: 256 spins, then 4 yields,
     * each after a look at the shared word, then the doorbell.
     */
    public static final IdleStrategy SHARED_MEMORY = new IdleStrategy(256, 4, 0);

    /**
     * A receive on a socket: it looks for readable bytes for up to {@code -Dmultiprocessing4j.spinMicros}
     * (50 µs by default), then parks in its selector.
     */
    public static final IdleStrategy SOCKET = new IdleStrategy(0, 0,
            Long.getLong("multiprocessing4j.spinMicros", 50) * 1_000);

    private final int spins;
    private final int yields;
    private final long spinNanos;

    /**
     * @param spins how many idles of a wait spin ({@link Thread#onSpinWait()})
     * @param yields how many idles after them yield ({@link Thread#yield()})
     * @param spinNanos for a waiter that spins by time, not by count: how long
     */
    public IdleStrategy(int spins, int yields, long spinNanos) {
        if (spins < 0 || yields < 0 || spinNanos < 0) {
            throw new IllegalArgumentException("spins, yields and spin time cannot be negative");
        }
        this.spins = spins;
        this.yields = yields;
        this.spinNanos = spinNanos;
    }

    /** How many idles of a wait spin or yield before it parks. */
    public int idlesBeforeParking() {
        return spins + yields;
    }

    /** Whether idle number {@code n} of a wait (from 0) yields; the ones before it spin. */
    public boolean isYielding(int n) {
        return n >= spins;
    }

    /**
     * Idle number {@code n} of a wait (from 0), after a look that found nothing: spins while
     * {@code n < spins}, then yields while {@code n < spins + yields}.
     *
     * @return false, without waiting, once the wait should park
     */
    public boolean idleSpinningOrYielding(int n) {
        if (n < spins) {
            Thread.onSpinWait();
            return true;
        }
        if (n < spins + yields) {
            Thread.yield();
            return true;
        }
        return false;
    }

    /** How long a waiter that spins by time spins before it parks. */
    public long spinNanos() {
        return spinNanos;
    }

    /**
     * One turn of a spin by time, after a look that found nothing: spins once.
     *
     * @param end when the spin ends ({@link System#nanoTime()})
     * @return true while the spin goes on, false once {@code end} has passed: then park
     */
    public static boolean idleSpinningUntil(long end) {
        Thread.onSpinWait();
        return System.nanoTime() < end;
    }

    /**
     * Whether a wait for the peer's next message spins before it parks, decided wait by wait on one
     * connection. A spin pays off only when the message comes within it. While the peer is slow (a JVM
     * still running interpreted code, a busy host) a spin only burns a core that the peer and both JITs
     * need. So: spin while waits end within the spin; after two that did not, park at once; every 32
     * waits, spin once to see whether the peer has become fast. Not thread-safe: one per connection,
     * used by the thread that waits on it.
     */
    public static final class Adaptive {
        private static final int PROBE_EVERY = 32;
        private static final int MISSES_TO_STOP = 2;

        private final long window;
        private boolean spinning;
        private boolean probing;
        private int misses;
        private int sinceProbe;

        /** Spins of at most {@code window} nanoseconds (never more than {@link #SOCKET}'s). */
        public Adaptive(long window) {
            this.window = Math.min(window, SOCKET.spinNanos());
            this.spinning = this.window > 0;
        }

        /** Before a wait: how long it should spin (0: not at all). */
        public long spinNanosBeforeWait() {
            if (window <= 0) {
                return 0;
            }
            if (!spinning && ++sinceProbe >= PROBE_EVERY) {
                sinceProbe = 0;
                probing = true;
                return window;
            }
            return spinning ? window : 0;
        }

        /** After the wait, with how long it took. */
        public void afterWait(long nanos) {
            boolean hit = nanos <= window;
            if (spinning) {
                misses = hit ? 0 : misses + 1;
                if (misses >= MISSES_TO_STOP) {
                    spinning = false;
                    misses = 0;
                }
            } else if (probing) {
                probing = false;
                spinning = hit;
            }
        }
    }
}
