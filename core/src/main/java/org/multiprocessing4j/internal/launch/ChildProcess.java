package org.multiprocessing4j.internal.launch;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The parent's handle on one running child JVM (CPython's {@code Popen}): its pid, its lifeline (the
 * write end of the child's stdin) and its exit code once it has ended.
 *
 * <p>The lifeline is closed as soon as the child is seen to have ended, or by {@link #close()}.
 * Thread-safe.
 */
public final class ChildProcess {
    private final java.lang.Process process;
    private final long pid;
    private final OutputStream lifeline;
    private final Path exitMarker;
    private final ChildArchive.Use archive;
    private final StderrTail stderr; // null when the child's stderr is inherited
    private Integer exitCode; // guarded by this; computed once, when the child has ended

    ChildProcess(java.lang.Process process, Path runtimeDir, ChildArchive.Use archive, boolean stderrPiped) {
        this.archive = archive;
        this.stderr = stderrPiped ? new StderrTail(process.getErrorStream(), process.pid()) : null;
        this.process = process;
        this.pid = process.pid();
        this.lifeline = process.getOutputStream();
        this.exitMarker = runtimeDir.resolve("exit-" + pid);
        // The JDK's reaper thread notices the exit; settle the exit code and free the pipe then, so that
        // a child nobody joins does not hold a file descriptor or leave a marker behind.
        process.onExit().thenRun(this::poll);
    }

    /** The file the child creates when it ends of its own accord; it travels in the bootstrap. */
    Path exitMarker() {
        return exitMarker;
    }

    public long pid() {
        return pid;
    }

    /**
     * What the child last wrote to stderr (a few KiB, from a line start), or "" if its stderr is
     * inherited; waits up to {@code waitMillis} for the last of it once the child has ended.
     */
    public String stderrTail(long waitMillis) {
        return stderr == null ? "" : stderr.text(waitMillis);
    }

    OutputStream lifeline() {
        return lifeline;
    }

    /** The exit code (Python's convention, {@code -N} for signal N), or null while running. Never blocks. */
    public Integer poll() {
        synchronized (this) {
            if (exitCode != null) {
                return exitCode;
            }
            if (process.isAlive()) {
                return null;
            }
            int status = process.exitValue();
            boolean voluntary = false;
            try {
                voluntary = Files.deleteIfExists(exitMarker);
            } catch (IOException ignored) {
                // no marker we can read: judge by the status alone
            }
            exitCode = ExitStatus.toExitCode(status, voluntary);
            archive.childEnded(voluntary);
        }
        closeLifeline();
        return exitCode;
    }

    /**
     * Waits for the child to end.
     *
     * @param timeoutNanos how long to wait; negative waits for ever
     * @return the exit code, or null if the child still runs when the timeout elapses
     */
    public Integer waitFor(long timeoutNanos) throws InterruptedException {
        if (timeoutNanos < 0) {
            process.waitFor();
        } else if (!process.waitFor(timeoutNanos, TimeUnit.NANOSECONDS)) {
            return null;
        }
        return poll();
    }

    /** Completes when the child has ended. */
    public CompletableFuture<?> onExit() {
        return process.onExit();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Sends SIGTERM. A child that has already ended is left alone. */
    public void terminate() {
        // Not process.destroy(): that also closes the child's stdin, which the child would read as
        // its parent's death and exit with the wrong status.
        if (process.isAlive()) {
            process.toHandle().destroy();
        }
    }

    /** Sends SIGKILL. A child that has already ended is left alone. */
    public void kill() {
        if (process.isAlive()) {
            process.toHandle().destroyForcibly();
        }
    }

    /** Releases the lifeline; a child that still runs sees end of file and exits at once. */
    public void close() {
        closeLifeline();
    }

    private void closeLifeline() {
        try {
            lifeline.close();
        } catch (IOException ignored) {
            // the child is gone already
        }
    }
}
