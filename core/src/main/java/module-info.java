/**
 * multiprocessing4j: Python's {@code multiprocessing} for Java, each child a separate JVM.
 *
 * <p>Only {@code org.multiprocessing4j} is API; everything under {@code org.multiprocessing4j.internal}
 * may change without notice.
 */
@SuppressWarnings("module") // the cluster module is built after this one: javac cannot see it here
module org.multiprocessing4j {
    exports org.multiprocessing4j;
    // what a pool on a cluster is made of: the cluster module's alone, never API
    exports org.multiprocessing4j.internal.pool to org.multiprocessing4j.cluster;
    exports org.multiprocessing4j.internal.codec to org.multiprocessing4j.cluster;
    exports org.multiprocessing4j.internal.runtime to org.multiprocessing4j.cluster;
    exports org.multiprocessing4j.internal.wire to org.multiprocessing4j.cluster;
    exports org.multiprocessing4j.internal.launch to org.multiprocessing4j.cluster;
    // sun.misc.Signal (in internal.runtime.SignalHandlers only): a child JVM answers SIGTERM/SIGINT/SIGHUP like a Python child
    // (no shutdown hooks), and a JVM with children notes that such a signal started its exit.
    requires jdk.unsupported;
    // Flight Recorder events (internal.flight): a check of a flag each while no recording asks for them
    requires jdk.jfr;
}
