package org.multiprocessing4j;

import java.time.Duration;
import org.multiprocessing4j.internal.sync.SyncBlock;

/**
 * A wait on a word in shared memory, as the sync cores offer it: until {@code deadline}
 * ({@link System#nanoTime()}) if {@code timed}, else for as long as it takes; true if what it waited
 * for happened. {@link #within} is the one place where the Python-named blocking calls of
 * {@link Lock}, {@link RLock}, {@link Semaphore}, {@link Event} and {@link Condition} turn a
 * {@link Duration} into a deadline and an interrupt into a {@link ProcessError}.
 */
@FunctionalInterface
interface TimedWait {
    boolean await(boolean timed, long deadline) throws InterruptedException;

    /**
     * Waits at most {@code timeout}: null waits forever, {@link Duration#ZERO} tries once.
     *
     * @param what the wait, for the message: {@code "waiting for a lock"}
     * @return true if what it waited for happened, false when the timeout passed first
     * @throws ProcessError if interrupted (the interrupt flag stays set)
     */
    static boolean within(TimedWait wait, Duration timeout, String what) {
        try {
            return wait.await(timeout != null, SyncBlock.deadline(timeout));
        } catch (InterruptedException e) {
            throw ProcessError.interrupted(what, e);
        }
    }
}
