package org.multiprocessing4j.internal.launch;

/**
 * Whether the calling thread is serializing a {@code Process} for a child's bootstrap (CPython's
 * {@code get_spawning_popen() is not None}). What is written then travels only on the child's private
 * stdin, as its inherited authkey does, so a handle may include a secret it leaves out everywhere else
 * (a manager proxy's authkey).
 */
public final class Spawning {
    private static final ThreadLocal<Boolean> ACTIVE = new ThreadLocal<>();

    private Spawning() {
    }

    /** True while the calling thread serializes a process for its child's bootstrap. */
    public static boolean active() {
        return ACTIVE.get() != null;
    }

    /**
     * Marks the calling thread as serializing for a bootstrap until {@link #exit}; returns what to
     * give {@link #exit}. (No lambda: {@code Process.start()} is on the start-up path of a cold JVM.)
     */
    public static boolean enter() {
        boolean outer = active();
        ACTIVE.set(Boolean.TRUE);
        return outer;
    }

    /** Ends what {@link #enter()} began. */
    public static void exit(boolean outer) {
        if (!outer) {
            ACTIVE.remove();
        }
    }
}
