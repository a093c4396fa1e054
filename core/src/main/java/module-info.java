/**
 * multiprocessing4j: Python's {@code multiprocessing} for Java, each child a separate JVM.
 *
 * <p>Only {@code org.multiprocessing4j} is API; everything under {@code org.multiprocessing4j.internal}
 * may change without notice.
 */
module org.multiprocessing4j {
    exports org.multiprocessing4j;
    // sun.misc.Signal (in internal.runtime.SignalHandlers only): a child JVM answers SIGTERM/SIGINT/SIGHUP like a Python child
    // (no shutdown hooks), and a JVM with children notes that such a signal started its exit.
    requires jdk.unsupported;
}
