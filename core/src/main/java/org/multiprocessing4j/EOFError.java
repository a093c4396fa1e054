package org.multiprocessing4j;

/**
 * The other end is gone: the peer of a connection closed its end or its process died, or the manager
 * behind a proxy is gone. Thrown at once by a receive that finds nothing left to read, by a send, and
 * by every call on a dead manager's proxies, including calls blocked at the time; never after a hang.
 * Python's {@code EOFError}.
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
