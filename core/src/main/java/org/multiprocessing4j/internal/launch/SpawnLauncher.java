package org.multiprocessing4j.internal.launch;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/** {@code spawn}: a fresh JVM per process, with the parent's class path and module path. */
final class SpawnLauncher implements Launcher {
    static final SpawnLauncher INSTANCE = new SpawnLauncher();

    private SpawnLauncher() {
    }

    @Override
    public String method() {
        return "spawn";
    }

    @Override
    public ChildProcess launch(Task task) throws IOException {
        ChildArchive.Use archive = ChildArchive.forNextChild();
        ProcessBuilder builder = new ProcessBuilder(JavaCommand.forChild(archive.flags()).command())
                .redirectInput(ProcessBuilder.Redirect.PIPE)
                .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        ChildProcess child = new ChildProcess(builder.start(), RuntimeDir.get(), archive);
        try {
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(child.lifeline(), 8192));
            task.bootstrap(child).writeTo(out);
        } catch (IOException childDiedEarly) {
            // The JVM exited before reading its task (a bad JVM option, say): it has said why on
            // stderr, and its exit code tells the caller. Nothing more to do here.
        }
        return child;
    }
}
