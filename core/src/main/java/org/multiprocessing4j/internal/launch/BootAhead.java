package org.multiprocessing4j.internal.launch;

import java.io.ObjectStreamClass;
import java.lang.invoke.SerializedLambda;

/**
 * What a new child does for its task before the task is read: a daemon thread, started first thing,
 * looks up the serialization descriptors every task needs, {@code Process}'s and, for its lambda
 * target, {@link SerializedLambda}'s. In a cold JVM that is reflection and two generated constructors,
 * a good part of the time from {@code main} to the user's code; on a second core it overlaps the main
 * thread's own start (the bootstrap, the lifeline) and its first use of the deserialization filter.
 * The main thread then reads its task with the descriptors cached; if it gets there first, it looks
 * them up itself, as it would without this thread.
 *
 * <p>An optimisation only: it reads nothing, deserializes nothing and runs none of the user's code,
 * and whatever fails in it is ignored, so that the child does what it would do without it.
 */
final class BootAhead implements Runnable {
    private BootAhead() {
    }

    /** Starts the thread; never throws. */
    static void start() {
        try {
            Thread t = new Thread(null, new BootAhead(), "mp4j-boot-ahead");
            t.setDaemon(true);
            t.start();
        } catch (Throwable e) {
            // an optimisation only: the main thread does the same work when it reads its task
        }
    }

    @Override
    public void run() {
        try {
            ObjectStreamClass.lookup(
                    Class.forName("org.multiprocessing4j.Process", false, BootAhead.class.getClassLoader()));
            ObjectStreamClass.lookup(SerializedLambda.class);
        } catch (Throwable e) {
            // an optimisation only: the main thread does the same work when it reads its task
        }
    }
}
