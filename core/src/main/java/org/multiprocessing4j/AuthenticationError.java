package org.multiprocessing4j;

/**
 * A connection's peer did not prove that it knows the authkey (or we could not prove it to the peer).
 * Raised on both sides, before anything received is deserialized.
 */
public class AuthenticationError extends ProcessError {
    private static final long serialVersionUID = 1L;

    public AuthenticationError(String message) {
        super(message);
    }
}
