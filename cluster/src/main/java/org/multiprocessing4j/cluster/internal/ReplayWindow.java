package org.multiprocessing4j.cluster.internal;

/**
 * Which sequence numbers of a session a member has taken, so that each is taken once (the anti-replay
 * window of IPsec, RFC 4303 §3.4.3): the highest seen, and a bit for each of the {@value #SIZE} below it.
 * Numbers may come out of order (a driver's messages travel by several threads) and with gaps (a driver
 * numbers its messages to every member in one sequence); one older than the window is refused.
 *
 * <p>Thread-safe.
 */
final class ReplayWindow {
    static final int SIZE = 1 << 16;
    private final long[] bits = new long[SIZE / 64];
    private long highest; // 0: none yet; numbers start at 1

    /** Whether {@code seq} is new: true once for each number in the window, false for any other. */
    synchronized boolean take(long seq) {
        if (seq <= 0 || seq <= highest - SIZE) {
            return false;
        }
        if (seq > highest) {
            for (long n = Math.max(highest + 1, seq - SIZE + 1); n < seq; n++) {
                clear(n); // numbers skipped: not seen
            }
            highest = seq;
            set(seq);
            return true;
        }
        if (isSet(seq)) {
            return false;
        }
        set(seq);
        return true;
    }

    private void set(long n) {
        bits[index(n)] |= 1L << n;
    }

    private void clear(long n) {
        bits[index(n)] &= ~(1L << n);
    }

    private boolean isSet(long n) {
        return (bits[index(n)] & 1L << n) != 0;
    }

    private static int index(long n) {
        return (int) ((n >>> 6) & (SIZE / 64 - 1));
    }
}
