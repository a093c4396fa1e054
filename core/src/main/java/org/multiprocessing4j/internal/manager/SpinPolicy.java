package org.multiprocessing4j.internal.manager;

import org.multiprocessing4j.internal.wire.SocketTransport;

/**
 * Whether a wait for the peer's next message spins before it parks, decided wait by wait on one
 * connection. A spin pays off only when the message comes within it: then it saves the wake-up of a
 * parked thread (tens of µs on a VM). While the peer is slow (a JVM still running interpreted code, a
 * busy host) a spin only burns a core that the peer and both JITs need. So: spin while waits end within
 * the spin; after two that did not, park at once; every 32 waits, spin once to see whether the peer has
 * become fast. Not thread-safe: one per connection, used by the thread that waits on it.
 */
final class SpinPolicy {
    private static final int PROBE_EVERY = 32;
    private static final int MISSES_TO_STOP = 2;

    private final long window;
    private boolean spinning;
    private boolean probing;
    private int misses;
    private int sinceProbe;

    /** Spins of at most {@code window} nanoseconds (never more than the transport's own). */
    SpinPolicy(long window) {
        this.window = Math.min(window, SocketTransport.spinNanos());
        this.spinning = this.window > 0;
    }

    /** Before a wait: how long it should spin (0: not at all). */
    long beforeWait() {
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
    void afterWait(long nanos) {
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
