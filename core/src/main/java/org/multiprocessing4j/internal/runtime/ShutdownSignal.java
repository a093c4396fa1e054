package org.multiprocessing4j.internal.runtime;

import sun.misc.Signal;
import sun.misc.SignalHandler;

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
 */
public final class ShutdownSignal implements SignalHandler {
    private static final String[] SIGNALS = {"TERM", "INT", "HUP"};
    private static volatile boolean received;
    private static boolean installed; // guarded by ShutdownSignal.class

    private final boolean halt;
    private volatile SignalHandler previous;
    private volatile boolean settled;

    private ShutdownSignal(boolean halt) {
        this.halt = halt;
    }

    /** Whether one of the signals has arrived: the exit under way is its doing. */
    public static boolean received() {
        return received;
    }

    /** In a child JVM, before anything else: each of the signals halts it at once with 128+N. */
    public static synchronized void haltOnSignal() {
        installed = true;
        for (String name : SIGNALS) {
            ShutdownSignal halting = new ShutdownSignal(true);
            halting.settled = true;
            Signal.handle(new Signal(name), halting);
        }
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
        for (String name : SIGNALS) {
            Signal signal = new Signal(name);
            ShutdownSignal notice = new ShutdownSignal(false);
            try {
                SignalHandler before = Signal.handle(signal, notice);
                if (before == SignalHandler.SIG_DFL || before == SignalHandler.SIG_IGN) {
                    Signal.handle(signal, before); // not the JVM's exit: leave it as it was
                }
                notice.previous = before;
            } catch (IllegalArgumentException notHandledByThisJvm) {
                notice.previous = SignalHandler.SIG_IGN;
            } finally {
                notice.settled = true;
            }
        }
    }

    @Override
    public void handle(Signal signal) {
        if (halt) {
            received = true;
            ExitActions.halt(128 + signal.getNumber());
            return;
        }
        while (!settled) {
            Thread.onSpinWait(); // installed a moment ago: the handler it replaced is being noted
        }
        SignalHandler next = previous;
        if (next == SignalHandler.SIG_IGN) {
            return;
        }
        received = true;
        if (next == SignalHandler.SIG_DFL) {
            Signal.raise(signal); // restored meanwhile: its default action
        } else {
            next.handle(signal);
        }
    }
}
