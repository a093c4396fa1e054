package org.multiprocessing4j.internal.launch;

/**
 * What a child JVM knows of its parent, from the {@link Bootstrap}. Absent in the main JVM.
 */
public final class ChildContext {
    private static volatile Bootstrap bootstrap;

    private ChildContext() {
    }

    static void install(Bootstrap b) {
        bootstrap = b;
    }

    /** True in a JVM started by {@code Process.start()}. */
    public static boolean isChild() {
        return bootstrap != null;
    }

    /** The parent's pid, or -1 in the main JVM. */
    public static long parentPid() {
        Bootstrap b = bootstrap;
        return b == null ? -1 : b.parentPid();
    }

    /** The parent's process name, or null in the main JVM. */
    public static String parentName() {
        Bootstrap b = bootstrap;
        return b == null ? null : b.parentName();
    }

    /** The authkey inherited from the parent, or null in the main JVM. */
    public static byte[] authkey() {
        Bootstrap b = bootstrap;
        return b == null ? null : b.authkey().clone();
    }

    /** The start method the parent used, or null in the main JVM. */
    public static String startMethod() {
        Bootstrap b = bootstrap;
        return b == null ? null : b.startMethod();
    }

    /**
     * The directory where the processes of this tree register the segments they create (see
     * {@code ResourceTracker}), or null in the main JVM.
     */
    public static String trackRegistry() {
        Bootstrap b = bootstrap;
        return b == null ? null : b.trackRegistry();
    }
}
