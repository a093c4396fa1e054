package org.multiprocessing4j;

/**
 * A pool worker died while it ran a task (killed, {@code System.exit}, {@code Runtime.halt}, an
 * {@code OutOfMemoryError} that ended its JVM, a native crash): that task fails with this exception,
 * the worker is replaced, and the pool goes on. Says how the worker ended and what it last wrote to
 * stderr.
 */
public class WorkerLostException extends ProcessError {
    private static final long serialVersionUID = 1L;

    private final Integer exitCode;
    private final String stderrTail;

    public WorkerLostException(String message, Integer exitCode, String stderrTail) {
        super(message);
        this.exitCode = exitCode;
        this.stderrTail = stderrTail;
    }

    /** The worker's exit code in Python's convention ({@code -N} for signal N), or null if unknown. */
    public Integer exitCode() {
        return exitCode;
    }

    /** The signal that ended the worker, or null if it exited by itself (or the code is unknown). */
    public Integer signal() {
        return exitCode != null && exitCode < 0 ? -exitCode : null;
    }

    /** The last lines the worker wrote to stderr (at most a few KiB), or "" if it wrote nothing. */
    public String stderrTail() {
        return stderrTail;
    }
}
