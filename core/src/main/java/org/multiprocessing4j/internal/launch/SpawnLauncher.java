package org.multiprocessing4j.internal.launch;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.multiprocessing4j.internal.runtime.RuntimeDir;
import org.multiprocessing4j.internal.runtime.StartMethod;

/** {@code spawn}: a fresh JVM per process, with the parent's class path and module path. */
final class SpawnLauncher implements Launcher {
    static final SpawnLauncher INSTANCE = new SpawnLauncher();

    private SpawnLauncher() {
    }

    @Override
    public StartMethod method() {
        return StartMethod.SPAWN;
    }

    @Override
    public void beforeSerializing() {
        LaunchAhead.begin();
    }

    @Override
    public ChildProcess launch(Task task) throws IOException {
        ChildProcess child = start(false, task.captureStderr());
        handOver(child, task);
        return child;
    }

    /**
     * Starts a child JVM that waits for its bootstrap on stdin; a spare warms up while it waits.
     *
     * @param captureStderr read its stderr through a pipe, keeping the tail (see {@link StderrTail})
     */
    static ChildProcess start(boolean spare, boolean captureStderr) throws IOException {
        ChildArchive.Use archive = ChildArchive.forNextChild();
        ProcessBuilder builder = new ProcessBuilder(JavaCommand.forChild(archive.flags(), spare).command())
                .redirectInput(ProcessBuilder.Redirect.PIPE)
                .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                .redirectError(captureStderr ? ProcessBuilder.Redirect.PIPE : ProcessBuilder.Redirect.INHERIT);
        java.lang.Process process;
        try {
            process = builder.start();
        } catch (IOException | RuntimeException e) {
            archive.childEnded(false);
            throw e;
        }
        return new ChildProcess(process, RuntimeDir.get(), archive, captureStderr);
    }

    /** Writes the bootstrap; the child runs its task from here on. */
    static void handOver(ChildProcess child, Task task) {
        child.handedTo(task.name(), task.warnIfNotStarted());
        try {
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(child.lifeline(), 8192));
            task.bootstrap(child).writeTo(out);
        } catch (IOException childDiedEarly) {
            // The JVM exited before reading its task (a bad JVM option, say): it has said why on
            // stderr, and ChildProcess.startFailure() tells the caller. Nothing more to do here.
        }
    }
}
