package org.multiprocessing4j.internal.runtime;

/**
 * SIGTERM, SIGINT and SIGHUP, the signals that stop a JVM of ours, and the one place that handles them.
 *
 * <ul>
 *   <li>A child JVM halts at once with 128+N ({@link #haltOnSignal()}, see {@link ExitActions#halt}):
 *       no shutdown hook and no exit marker, as a Python child killed by a signal runs no {@code atexit}
 *       handlers; its parent sees {@code -N}.</li>
 *   <li>A JVM that started children notes that such a signal started its exit ({@link #watch()},
 *       {@link #received()}), so that its exit function terminates the children instead of waiting
 *       for them. A handler is put in front of the JVM's own, notes the signal and passes it on, so
 *       the JVM's exit runs as it would have. A signal the JVM does not handle (ignored when it
 *       started, as {@code nohup} does with SIGHUP, or with {@code -Xrs}) is left as it was.</li>
 * </ul>
 *
 * <p>The handlers themselves are {@code SignalHandlers}, the library's only use of
 * {@code sun.misc.Signal}. javac warns about that API with a warning nothing can suppress, so that one
 * class is compiled on its own (see the build) and nothing names it at compile time: it is loaded here
 * by name, and its static initializer hands this class its one instance. Loading a class costs no
 * reflection, so a child's start-up pays nothing for it.
 */
public final class ShutdownSignal {
    static final String[] SIGNALS = {"TERM", "INT", "HUP"};
    private static final String HANDLERS = "org.multiprocessing4j.internal.runtime.SignalHandlers";

    private static volatile boolean received;
    private static boolean installed; // guarded by ShutdownSignal.class
    private static Handlers handlers; // set by SignalHandlers' static initializer

    private ShutdownSignal() {
    }

    /** What {@code SignalHandlers} does with the JVM's signal handlers. */
    interface Handlers {
        /** Each of {@link #SIGNALS} halts this JVM at once with 128+N. */
        void haltOnSignals();

        /** Each of {@link #SIGNALS} that the JVM handles is noted, then handled as before. */
        void noteSignals();
    }

    /** Called once, by {@code SignalHandlers}' static initializer. */
    static void register(Handlers h) {
        handlers = h;
    }

    /** A handler saw one of the signals (before it halts, or passes it on). */
    static void noteReceived() {
        received = true;
    }

    /** Whether one of the signals has arrived: the exit under way is its doing. */
    public static boolean received() {
        return received;
    }

    /** In a child JVM, before anything else: each of the signals halts it at once with 128+N. */
    public static synchronized void haltOnSignal() {
        installed = true;
        handlers().haltOnSignals();
    }

    /**
     * Starts noting the signals, in front of the JVM's own handlers; once per JVM, later calls (and
     * calls in a JVM that {@linkplain #haltOnSignal() halts on them}) do nothing.
     */
    public static synchronized void watch() {
        if (installed) {
            return;
        }
        installed = true;
        handlers().noteSignals();
    }

    private static Handlers handlers() {
        if (handlers == null) {
            try {
                Class.forName(HANDLERS, true, ShutdownSignal.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("the library's jar lacks " + HANDLERS, e);
            }
        }
        return handlers;
    }
}
