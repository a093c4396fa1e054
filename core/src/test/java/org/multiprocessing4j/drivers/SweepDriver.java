package org.multiprocessing4j.drivers;

import org.multiprocessing4j.internal.runtime.RuntimeDir;
import org.multiprocessing4j.internal.track.ResourceTracker;

/**
 * Does what a new main JVM does first: makes its runtime directory and its resource tracker's registry,
 * each of which sweeps what ended JVMs left in {@code java.io.tmpdir}. Prints {@code dir=} and
 * {@code swept}. The test runs it with a {@code java.io.tmpdir} of its own, so that no other program
 * on the machine sweeps what the test planted there.
 */
public final class SweepDriver {
    public static void main(String[] args) {
        System.out.println("dir=" + RuntimeDir.get());
        ResourceTracker.sweepStale();
        System.out.println("swept");
    }
}
