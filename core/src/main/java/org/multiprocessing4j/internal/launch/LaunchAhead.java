package org.multiprocessing4j.internal.launch;

import java.util.concurrent.atomic.AtomicBoolean;
import org.multiprocessing4j.internal.runtime.RuntimeDir;

/**
 * What a JVM's first child needs before it can be started and does not depend on the child's task,
 * prepared on a thread of its own while the caller of the first {@code start()} serializes the task: the
 * child's command line ({@link JavaCommand}), which archive or cache it uses ({@link ChildArchive}, whose key
 * reads the class path's jars), and the runtime directory. In a new JVM these take some 30 ms, and so
 * does the first serialization; done side by side, the first child's JVM is started that much sooner.
 * Later children find all three made.
 *
 * <p>The launcher asks for each as it did before: what the thread has not finished yet, the launcher
 * waits for or does itself (each is made once, under its own lock). A failure here is not reported:
 * the launcher meets it again and reports it.
 */
final class LaunchAhead implements Runnable {
    private static final AtomicBoolean BEGUN = new AtomicBoolean();

    private LaunchAhead() {
    }

    /** Starts the preparation, once per JVM; returns at once, and never throws. */
    static void begin() {
        if (BEGUN.compareAndSet(false, true)) {
            try {
                Thread t = new Thread(null, new LaunchAhead(), "mp4j-launch-ahead", 256 * 1024);
                t.setDaemon(true);
                t.start();
            } catch (OutOfMemoryError | RuntimeException noThread) {
                // no thread to spare: the launcher makes all three itself, as it did before
            }
        }
    }

    @Override
    public void run() {
        try {
            JavaCommand.prepare();
            ChildArchive.prepare();
            RuntimeDir.get();
        } catch (RuntimeException | Error e) {
            // the launcher meets it again, in the caller's thread, and reports it there
        }
    }
}
