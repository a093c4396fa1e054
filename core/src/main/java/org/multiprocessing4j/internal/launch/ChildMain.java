package org.multiprocessing4j.internal.launch;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.multiprocessing4j.internal.codec.Serialization;
import org.multiprocessing4j.internal.runtime.ChildContext;
import org.multiprocessing4j.internal.runtime.ExitActions;
import org.multiprocessing4j.internal.runtime.ShutdownSignal;

/**
 * The entry point of every child JVM (CPython's {@code spawn_main}). Not for users: started by
 * {@code Process.start()}, it reads its {@link Bootstrap} from stdin, runs the process, and exits with
 * the process's exit code.
 *
 * <p>How a child ends, and what the parent sees:
 * <ul>
 *   <li>the target returns: exit 0; it throws: the trace on stderr, exit 1 (in both cases once the
 *       non-daemon threads it started have ended); it calls {@code System.exit(n)}: n. Each leaves an
 *       exit marker, so even {@code System.exit(137)} is 137.</li>
 *   <li>it cannot read its bootstrap or its task, or its JVM cannot even load this class: it ends
 *       without the start marker it leaves once its task is read, and the parent reports that it
 *       could not start (see {@link ChildProcess#startFailure()}).</li>
 *   <li>SIGTERM, SIGINT or SIGHUP: halt at once with 128+N and no marker, shown as {@code -N}; shutdown
 *       hooks do not run, as a Python child killed by a signal runs no {@code atexit} handlers.</li>
 *   <li>SIGKILL or a crash: no marker, {@code -N}.</li>
 *   <li>the parent dies: the lifeline sees end of file and the child halts (see {@link Lifeline}).</li>
 * </ul>
 *
 * <p>Started with {@code --spare} (the {@code forkserver} method), it first warms up (see
 * {@link WarmUp}) and then waits for its task. Started with {@code --train}, it runs the training of
 * the AOT cache (see {@link AotTraining}) and exits; it reads no task.
 *
 * <p>Start-up time matters here: the boot path uses no lambdas (each costs a few milliseconds of
 * method-handle spinning in a cold JVM) and does not ask {@code ProcessHandle} for its own pid, and
 * while the main thread reads its bootstrap, a thread of its own prepares the reading of the task
 * (see {@link BootAhead}).
 */
public final class ChildMain {
    private ChildMain() {
    }

    public static void main(String[] args) {
        boolean spare = args.length > 0 && args[0].equals(JavaCommand.SPARE_ARG);
        if (!spare) {
            BootAhead.start(); // a spare warms up instead; a training does what a child does
        }
        ExitActions.jvm().beforeHalt(new ReleaseLifeline()); // first of what a halt runs
        ShutdownSignal.haltOnSignal();
        if (spare) {
            WarmUp.run();
        } else if (args.length > 0 && args[0].equals(JavaCommand.TRAIN_ARG)) {
            AotTraining.exercise();
            System.exit(0);
            return;
        }
        Bootstrap bootstrap;
        try {
            bootstrap = Bootstrap.readFrom(Lifeline.stdin());
        } catch (EOFException parentGoneBeforeATask) {
            // a spare whose parent exited, or a child whose parent died at once: nothing to say
            Runtime.getRuntime().halt(Lifeline.PARENT_GONE_STATUS);
            return;
        } catch (IOException e) {
            System.getLogger("org.multiprocessing4j.launch").log(System.Logger.Level.WARNING,
                    "child: cannot read the bootstrap from stdin", e); // looked up here only: not on the boot path
            Runtime.getRuntime().halt(Lifeline.PARENT_GONE_STATUS);
            return;
        }
        System.setIn(InputStream.nullInputStream());
        ChildContext.install(bootstrap.inherited());
        Lifeline.watch();
        Path exitMarker = Path.of(bootstrap.exitMarker());
        leaveMarkerAtExit(exitMarker);

        Object process;
        try {
            process = Serialization.fromBytes(bootstrap.task());
        } catch (IOException | ClassNotFoundException | RuntimeException | LinkageError e) {
            // stderr, not a logger: the child's uncaught error, which CPython's spawned child prints as a traceback
            System.err.println("multiprocessing4j child: cannot read its task (is the class path the parent's?)");
            e.printStackTrace();
            System.exit(1);
            return;
        }
        try {
            Files.createFile(Bootstrap.startMarker(exitMarker));
        } catch (IOException ignored) {
            // the parent is gone, or its directory with it: nobody will ask
        }
        System.exit(ProcessBridge.get().runChild(process));
    }

    /** Has a voluntary exit leave the exit marker and release the lifeline. */
    static void leaveMarkerAtExit(Path exitMarker) {
        ExitActions.jvm().at(ExitActions.Stage.LEAVE_EXIT_MARKER, new ExitMarker(exitMarker));
    }

    /** Before a halt: the lifeline is let go, so that its reader does not hold the halt up. */
    private static final class ReleaseLifeline implements Runnable {
        @Override
        public void run() {
            Lifeline.release();
        }
    }

    /** The exit action of a voluntary exit: leaves the marker and releases the lifeline. */
    private static final class ExitMarker implements Runnable {
        private final Path marker;

        ExitMarker(Path marker) {
            this.marker = marker;
        }

        @Override
        public void run() {
            try {
                Files.createFile(marker);
            } catch (IOException ignored) {
                // the parent is gone, or its directory with it: nobody will ask
            }
            Lifeline.release();
        }
    }
}
