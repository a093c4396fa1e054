package org.multiprocessing4j;

import java.time.Duration;
import java.util.List;
import org.multiprocessing4j.internal.runtime.ExitActions;
import org.multiprocessing4j.internal.runtime.ShutdownSignal;
import org.multiprocessing4j.internal.wait.Deadline;

/**
 * What a JVM that started children does about them as it exits, CPython's {@code util._exit_function}:
 * terminate the daemonic children, then join every child. A JVM stopped by SIGTERM, SIGINT or SIGHUP
 * terminates every child instead, gives them {@link #SIGNAL_GRACE} to go, then kills the rest: waiting
 * for non-daemonic children would keep a JVM that was told to stop running for as long as they do.
 *
 * <p>Installed at the first {@code start()} as the exit's {@link ExitActions.Stage#EXIT_FUNCTION}; a
 * child's bootstrap also joins its children ({@link #joinChildren()}) once its {@code run()} has ended.
 */
final class ExitFunction implements Runnable {
    private static final Duration SIGNAL_GRACE = Duration.ofSeconds(2);
    private static volatile boolean installed;

    private ExitFunction() {
    }

    /** Registers the exit function with this JVM's exit, and starts noting the signals that stop it. */
    static void install() {
        if (installed) {
            return;
        }
        synchronized (ExitFunction.class) {
            if (!installed) {
                ShutdownSignal.watch();
                ExitActions.jvm().at(ExitActions.Stage.EXIT_FUNCTION, new ExitFunction());
                installed = true;
            }
        }
    }

    /** At this JVM's exit: on a signal, terminate; else Python's exit function. */
    @Override
    public void run() {
        if (ShutdownSignal.received()) {
            terminateChildren();
        } else {
            joinChildren();
        }
    }

    /** Python's {@code util._exit_function}: terminate daemonic children, then join every child. */
    static void joinChildren() {
        for (Process p : Children.active()) {
            if (p.daemonic()) {
                p.popen().terminate();
            }
        }
        for (Process p : Children.active()) {
            try {
                p.popen().waitFor(-1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** On a signal: terminate every child, give them {@link #SIGNAL_GRACE} to go, then kill the rest. */
    private static void terminateChildren() {
        List<Process> children = Children.active();
        for (Process p : children) {
            p.popen().terminate();
        }
        long deadline = Deadline.at(SIGNAL_GRACE.toNanos());
        for (Process p : children) {
            try {
                if (p.popen().waitFor(Deadline.remainingNanos(deadline)) == null) {
                    p.popen().kill();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.popen().kill();
            }
        }
    }
}
