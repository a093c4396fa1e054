package org.multiprocessing4j.internal.launch;

/**
 * Whether the calling thread is serializing a {@code Process} for a child's bootstrap (CPython's
 * {@code get_spawning_popen() is not None}). What is written then travels only on the child's private
 * stdin, as its inherited authkey does, so a handle may include a secret it leaves out everywhere else
 * (a manager proxy's authkey).
 */
public final class Spawning {
    private static final ThreadLocal<java.util.List<Runnable>> ACTIVE = new ThreadLocal<>();

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
        if (!outer) {
            ACTIVE.set(new java.util.ArrayList<>());
        }
        return outer;
    }

    /**
     * Ends what {@link #enter()} began, and returns the work {@link #onChildEnd} asked for: the caller
     * runs it once the child has ended, or at once if no child was started.
     */
    public static java.util.List<Runnable> exit(boolean outer) {
        if (outer) {
            return java.util.List.of();
        }
        java.util.List<Runnable> work = ACTIVE.get();
        ACTIVE.remove();
        return work;
    }

    /**
     * While the calling thread serializes a process for a child: {@code work} is to run once that child
     * has ended (a pipe end's ticket that the child did not present is void then). Otherwise nothing.
     */
    public static void onChildEnd(Runnable work) {
        java.util.List<Runnable> list = ACTIVE.get();
        if (list != null) {
            list.add(work);
        }
    }
}
