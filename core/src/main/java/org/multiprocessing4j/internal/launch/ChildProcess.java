package org.multiprocessing4j.internal.launch;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.multiprocessing4j.internal.flight.Flight;
import org.multiprocessing4j.internal.flight.ProcessEndEvent;

/**
 * The parent's handle on one running child JVM (CPython's {@code Popen}): its pid, its lifeline (the
 * write end of the child's stdin), its exit code once it has ended, and whether it ever ran its task.
 *
 * <p>The lifeline is closed as soon as the child is seen to have ended, or by {@link #close()}.
 * Thread-safe.
 */
public final class ChildProcess {
    private final java.lang.Process process;
    private final long pid;
    private final OutputStream lifeline;
    private final Path exitMarker;
    private final Path startMarker;
    private final ChildArchive.Use archive;
    private final StderrTail stderr; // null when the child's stderr is inherited
    private volatile String name;    // the process it runs, once handed its task
    private volatile boolean warn;   // log a warning if it cannot start
    private volatile boolean stopped; // this JVM sent it SIGTERM or SIGKILL
    private Integer exitCode; // guarded by this; computed once, when the child has ended
    private boolean ranTask;  // guarded by this; computed with exitCode
    private String startFailure; // guarded by this; computed once, when first asked
    private final Object warnLock = new Object();
    private boolean warned;      // guarded by warnLock

    ChildProcess(java.lang.Process process, Path runtimeDir, ChildArchive.Use archive, boolean stderrPiped) {
        this.archive = archive;
        this.stderr = stderrPiped ? new StderrTail(process.getErrorStream(), process.pid()) : null;
        this.process = process;
        this.pid = process.pid();
        this.lifeline = process.getOutputStream();
        this.exitMarker = runtimeDir.resolve("exit-" + pid);
        this.startMarker = Bootstrap.startMarker(exitMarker);
        // The JDK's reaper thread notices the exit; settle the exit code and free the pipe then, so that
        // a child nobody joins does not hold a file descriptor or leave a marker behind, and one that
        // could not start is reported even if nobody asks.
        process.onExit().thenRun(this::ended);
    }

    /** Called by the launcher before it writes the bootstrap: the name of the process it runs. */
    void handedTo(String processName, boolean warnIfNotStarted) {
        this.warn = warnIfNotStarted;
        this.name = processName;
    }

    private void ended() {
        Integer code = poll();
        startFailure();
        if (!Flight.recorderStarted()) {
            return;
        }
        ProcessEndEvent e = new ProcessEndEvent();
        if (e.shouldCommit()) {
            e.name = name;
            e.pid = pid;
            e.exitCode = code == null ? Integer.MIN_VALUE : code;
            synchronized (this) {
                e.ranTask = ranTask;
            }
            e.commit();
        }
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
            try {
                ranTask = Files.deleteIfExists(startMarker);
            } catch (IOException ignored) {
                ranTask = true; // no marker we can read: say nothing rather than something wrong
            }
            exitCode = ExitStatus.toExitCode(status, voluntary);
            archive.childEnded(voluntary);
        }
        closeLifeline();
        return exitCode;
    }

    /**
     * Why the child could not start, or null: null while it runs, once it ran its task, when this JVM
     * ended it ({@link #terminate()}, {@link #kill()}) and for a spare never handed a task. A child that
     * ended before it ran its task (its JVM could not load {@code ChildMain}, rejected an option, crashed
     * at start, or could not read its task) gets a message with its exit code and what it last wrote to
     * stderr (or, when its stderr is inherited, a pointer to it). The first time it is known, a warning
     * with that message is logged (System.Logger {@code org.multiprocessing4j.launch}), unless the launcher was
     * told that the caller reports it. May wait up to half a second for the last of a piped stderr.
     */
    public String startFailure() {
        Integer code = poll();
        if (code == null || stopped || name == null) {
            return null;
        }
        String why;
        synchronized (this) {
            if (ranTask) {
                return null;
            }
            why = startFailure;
        }
        if (why == null) {
            why = "process '" + name + "' (pid " + pid + ") could not start: its JVM ended (exit code "
                    + ExitStatus.describe(code) + ") before it ran its task; ";
            if (stderr == null) {
                why += "its stderr above says why";
            } else {
                String tail = stderr.text(500).strip();
                why += tail.isEmpty() ? "it wrote nothing to stderr" : "its stderr ended with:\n" + tail;
            }
            synchronized (this) {
                if (startFailure == null) {
                    startFailure = why;
                }
                why = startFailure;
            }
        }
        // every caller passes here, also one that finds the message made: while another thread (the one that
        // saw the child end, say) is still logging the warning, it waits, since the JVM may exit next
        synchronized (warnLock) {
            if (warn && !warned) {
                // looked up here only: a logger's first lookup costs a new JVM some 25 ms, which every
                // start() would pay
                System.getLogger("org.multiprocessing4j.launch").log(System.Logger.Level.WARNING, why);
                warned = true;
            }
        }
        return why;
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
            stopped = true;
            process.toHandle().destroy();
        }
    }

    /** Sends SIGKILL. A child that has already ended is left alone. */
    public void kill() {
        if (process.isAlive()) {
            stopped = true;
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
