package org.multiprocessing4j;

/**
 * The base of this library's own exceptions, like Python's {@code multiprocessing.ProcessError}.
 * Unchecked. Thrown, as itself or a subclass, when what the caller relies on is gone or failed: a peer,
 * a child, the process serving a queue, a pool or a manager (see the package's error policy). A
 * Python-named blocking call ({@code join}, {@code get}, {@code recv}, …) that is interrupted restores
 * the thread's interrupt flag and throws a {@code ProcessError} whose cause is the
 * {@link InterruptedException}.
 */
public class ProcessError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ProcessError(String message) {
        super(message);
    }

    public ProcessError(String message, Throwable cause) {
        super(message, cause);
    }

    /** Wraps an interrupt of a blocking call after restoring the thread's interrupt flag. */
    static ProcessError interrupted(String what, InterruptedException e) {
        Thread.currentThread().interrupt();
        return new ProcessError(what + " was interrupted", e);
    }
}
