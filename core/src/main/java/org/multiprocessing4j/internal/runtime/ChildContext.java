package org.multiprocessing4j.internal.runtime;

/**
 * What a child JVM knows of its parent, from the bootstrap the parent wrote on its stdin. Absent in
 * the main JVM. Installed once, by the child's entry point, before the task is read.
 */
public final class ChildContext {
    private static volatile Inherited inherited;

    private ChildContext() {
    }

    /**
     * What the child inherits: the parent's pid and name, the process tree's authkey, the start method
     * for its own children, and the resource tracker's registry of the tree.
     */
    public record Inherited(long parentPid, String parentName, byte[] authkey, StartMethod startMethod,
                            String trackRegistry) {
    }

    /** Called once by the child's entry point. */
    public static void install(Inherited what) {
        inherited = what;
    }

    /** True in a JVM started by {@code Process.start()}. */
    public static boolean isChild() {
        return inherited != null;
    }

    /** The parent's pid, or -1 in the main JVM. */
    public static long parentPid() {
        Inherited b = inherited;
        return b == null ? -1 : b.parentPid();
    }

    /** The parent's process name, or null in the main JVM. */
    public static String parentName() {
        Inherited b = inherited;
        return b == null ? null : b.parentName();
    }

    /** The authkey inherited from the parent, or null in the main JVM. */
    public static byte[] authkey() {
        Inherited b = inherited;
        return b == null ? null : b.authkey().clone();
    }

    /** The start method the parent used, or null in the main JVM. */
    public static StartMethod startMethod() {
        Inherited b = inherited;
        return b == null ? null : b.startMethod();
    }

    /**
     * The directory where the processes of this tree register the segments they create (see
     * {@code ResourceTracker}), or null in the main JVM.
     */
    public static String trackRegistry() {
        Inherited b = inherited;
        return b == null ? null : b.trackRegistry();
    }
}
