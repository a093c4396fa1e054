package org.multiprocessing4j.internal.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CopyOnWriteArraySet;

/**
 * The order of this JVM's exit, written in one place: everything that must happen when the JVM ends
 * registers here, at its {@link Stage}, and one shutdown hook runs the stages in the order they are
 * declared, each stage's actions in the order they were registered. No other shutdown hook exists.
 *
 * <p>Three ways a JVM of ours ends:
 * <ul>
 *   <li><b>An exit</b> ({@code main} returned, {@code System.exit}, a child's {@code run()} ended, or
 *       SIGTERM/SIGINT/SIGHUP in the main JVM, which the JVM turns into an exit): the hook runs every
 *       stage, see {@link #runExit()}. An action that throws is reported (as an uncaught exception of
 *       the hook's thread) and the next runs.</li>
 *   <li><b>A halt</b> (a child stopped by a signal, or whose parent died): no hook runs; {@link #halt}
 *       runs the quick {@link #beforeHalt} actions and {@link Stage#REMOVE_RUNTIME_DIR}, then halts.</li>
 *   <li><b>SIGKILL</b> or a crash: nothing runs; the next JVM sweeps what is left (see {@link RuntimeDir}).</li>
 * </ul>
 *
 * <p>The stages, in the order they run:
 * <ol>
 *   <li>{@link Stage#DRAIN}: work this JVM does for others finishes first, while everything it needs
 *       still runs: a cluster member stops taking tasks, lets its running ones end, and leaves.</li>
 *   <li>{@link Stage#FLUSH_FEEDERS}: the queue feeders write what is pending and wait until it is in
 *       its queue, first, because a child joined next may be waiting for those items.</li>
 *   <li>{@link Stage#TERMINATE_POOLS}: the pools still running are terminated, as Python's pool
 *       finalizers run before its exit function, so that none replaces the workers the next stage ends.</li>
 *   <li>{@link Stage#EXIT_FUNCTION}: Python's {@code util._exit_function}: terminate the daemonic
 *       children, join the others (on a signal: terminate all, then kill those left).</li>
 *   <li>{@link Stage#STOP_SERVICES}: the servers this JVM keeps for its life (the queue server, the
 *       doorbell, the forkserver's spares, the feeders' connections), once no child needs them.</li>
 *   <li>{@link Stage#RELEASE_TRACKER}: the resource tracker unlinks what the tree left and lets its
 *       watcher go, once the children have ended.</li>
 *   <li>{@link Stage#LEAVE_EXIT_MARKER}: a child leaves its exit marker and releases its lifeline.</li>
 *   <li>{@link Stage#REMOVE_RUNTIME_DIR}: the runtime directory goes, last.</li>
 * </ol>
 *
 * <p>Registering is thread-safe and idempotent (the same action twice at a stage runs once). An action
 * registered once the exit has passed its stage does not run.
 */
public final class ExitActions {
    /** The stages of an exit, in the order they run. */
    public enum Stage {
        DRAIN,
        FLUSH_FEEDERS,
        TERMINATE_POOLS,
        EXIT_FUNCTION,
        STOP_SERVICES,
        RELEASE_TRACKER,
        LEAVE_EXIT_MARKER,
        REMOVE_RUNTIME_DIR
    }

    private static final ExitActions JVM = new ExitActions();

    private final List<Set<Runnable>> stages; // by Stage ordinal, fixed at construction
    private final List<Runnable> beforeHalt = new CopyOnWriteArrayList<>();
    private boolean hooked; // guarded by this

    /** An empty list of exit actions; only {@link #jvm()}'s is run by the JVM's shutdown hook. */
    ExitActions() {
        List<Set<Runnable>> byStage = new ArrayList<>();
        for (int i = 0; i < Stage.values().length; i++) {
            byStage.add(new CopyOnWriteArraySet<>());
        }
        stages = List.copyOf(byStage);
    }

    /** This JVM's exit actions. */
    public static ExitActions jvm() {
        return JVM;
    }

    /** Runs {@code action} at {@code stage} when this JVM exits; installs the hook on first use. */
    public void at(Stage stage, Runnable action) {
        stages.get(stage.ordinal()).add(action);
        if (this == JVM) {
            installHook();
        }
    }

    /**
     * Registers a server or helper this JVM keeps for its life: {@code stop} ends it, at the exit's
     * {@link Stage#STOP_SERVICES}. It may be started again later (by its next use) and stopped again:
     * {@code stop} must do nothing when there is nothing to stop.
     */
    public void service(Runnable stop) {
        at(Stage.STOP_SERVICES, stop);
    }

    /**
     * Work for {@link #halt}, which runs no shutdown hooks: it must be quick and must not block, e.g.
     * waking a thread blocked in a native read (the JVM would otherwise wait 300 ms as it exits), or
     * releasing what a server holds. Runs before the runtime directory is removed.
     */
    public void beforeHalt(Runnable action) {
        beforeHalt.add(action);
    }

    /** Runs the actions of one stage, in the order they were registered; what the exit runs for it. */
    public void runStage(Stage stage) {
        for (Runnable action : stages.get(stage.ordinal())) {
            try {
                action.run();
            } catch (RuntimeException | Error e) {
                Thread t = Thread.currentThread();
                t.getUncaughtExceptionHandler().uncaughtException(t, e);
            }
        }
    }

    /** What the shutdown hook runs: every stage, in order. */
    void runExit() {
        for (Stage stage : Stage.values()) {
            runStage(stage);
        }
    }

    /** What {@link #halt} runs before it halts: the before-halt actions, then the directory's removal. */
    void runHalt() {
        for (Runnable action : beforeHalt) {
            try {
                action.run();
            } catch (RuntimeException ignored) {
                // halting anyway
            }
        }
        runStage(Stage.REMOVE_RUNTIME_DIR);
    }

    /** Ends this JVM at once, without shutdown hooks: runs {@link #runHalt()} and halts with {@code status}. */
    public static void halt(int status) {
        JVM.runHalt();
        Runtime.getRuntime().halt(status);
    }

    private synchronized void installHook() {
        if (!hooked) {
            hooked = true;
            try {
                Runtime.getRuntime().addShutdownHook(new Thread(new Hook(), "mp4j-exit"));
            } catch (IllegalStateException exiting) {
                // registered while this JVM exits: the hook that runs now, if any, is all there is
            }
        }
    }

    /** The one shutdown hook; a class, not a lambda, since a child's boot installs it. */
    private static final class Hook implements Runnable {
        @Override
        public void run() {
            JVM.runExit();
        }
    }
}
