package org.multiprocessing4j.internal.launch;

import java.io.IOException;
import org.multiprocessing4j.internal.runtime.StartMethod;
import org.multiprocessing4j.internal.track.ResourceTracker;

/**
 * Starts a child JVM for a {@code Process} (CPython's {@code Popen} classes, one per start method).
 * {@code spawn} starts a fresh JVM per process; {@code forkserver} hands the process to a spare JVM
 * that was started and warmed in advance.
 */
public sealed interface Launcher permits SpawnLauncher, ForkserverLauncher {

    /** The start method this launcher implements. */
    StartMethod method();

    /**
     * Starts a child that will run {@code task}. Returns once the child has been created and its
     * bootstrap written; it does not wait for the child to start running.
     */
    ChildProcess launch(Task task) throws IOException;

    /** Called when this method is chosen, before the first launch: a chance to start work ahead. */
    default void prepare() {
    }

    /**
     * Called by every {@code start()} before it serializes its process: a chance to make, on another
     * thread, what the child needs besides its task. Starts no JVM (a process whose target cannot be
     * serialized starts none) and does not wait; cheap when called again.
     */
    default void beforeSerializing() {
    }

    static Launcher forMethod(StartMethod method) {
        return switch (method) {
            case SPAWN -> SpawnLauncher.INSTANCE;
            case FORKSERVER -> ForkserverLauncher.INSTANCE;
        };
    }

    /**
     * What the parent knows before the child exists; the launcher adds what only the child's pid gives.
     * {@code captureStderr}: read the child's stderr through a pipe (see {@link StderrTail}).
     * {@code name}: the process's name, for messages. {@code warnIfNotStarted}: log a warning if the
     * child ends before it runs its task (false when the caller reports that itself, as a pool does).
     */
    record Task(byte[] authkey, long parentPid, String parentName, StartMethod startMethod, byte[] process,
                boolean captureStderr, String name, boolean warnIfNotStarted) {
        Bootstrap bootstrap(ChildProcess child) {
            return new Bootstrap(authkey, parentPid, parentName, child.exitMarker().toString(), startMethod.pythonName(),
                    ResourceTracker.registryForChildren(), process);
        }
    }
}
