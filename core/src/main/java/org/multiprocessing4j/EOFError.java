package org.multiprocessing4j;

/**
 * The other end of a connection is gone: it was closed, or the process that held it died. Thrown at
 * once by a receive that finds nothing left to read, never after a hang. Python's {@code EOFError}.
 */
public class EOFError extends ProcessError {
    private static final long serialVersionUID = 1L;

    public EOFError(String message) {
        super(message);
    }

    public EOFError(String message, Throwable cause) {
        super(message, cause);
    }
}
