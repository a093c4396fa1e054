package org.multiprocessing4j.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Facts about OS processes that {@link ProcessHandle} does not give. */
public final class Procs {
    private Procs() {
    }

    /**
     * True if the process exists and has not ended. Unlike {@link ProcessHandle#isAlive()}, a zombie (a
     * process that has exited but whose parent, often init after a reparenting, has not reaped it yet)
     * counts as ended. Reads {@code /proc/<pid>/stat}.
     */
    public static boolean isRunning(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (IOException | RuntimeException gone) {
            return false;
        }
    }

    /** The pid of a process that has ended, and that no process has taken since. */
    public static long deadPid() throws IOException, InterruptedException {
        for (int i = 0; i < 10; i++) {
            java.lang.Process p = new ProcessBuilder("true").start();
            p.waitFor();
            if (ProcessHandle.of(p.pid()).isEmpty()) {
                return p.pid();
            }
        }
        throw new AssertionError("no pid that stays unused");
    }
}
