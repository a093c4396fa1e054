package org.multiprocessing4j;

/**
 * An exception thrown in another process that cannot be rethrown here as itself: a checked exception
 * from a pool task (then the original is the {@linkplain #getCause() cause}), or one whose class this
 * JVM cannot load or that could not be serialized (then only its type name, message and stack trace
 * travel, as this exception's own).
 */
public class RemoteException extends ProcessError {
    private static final long serialVersionUID = 1L;

    private final String remoteType;

    /** Wraps an exception that arrived whole. */
    public RemoteException(Throwable remote) {
        super(remote.getClass().getName() + ": " + remote.getMessage(), remote);
        this.remoteType = remote.getClass().getName();
    }

    /** Stands in for an exception that could not travel: its type name, message and stack trace. */
    @SuppressWarnings("this-escape") // Throwable's own setStackTrace, which a subclass has no reason to override
    public RemoteException(String remoteType, String message, StackTraceElement[] remoteTrace) {
        super(remoteType + (message != null ? ": " + message : ""));
        this.remoteType = remoteType;
        if (remoteTrace != null) {
            setStackTrace(remoteTrace);
        }
    }

    /** The class name of the exception thrown in the other process. */
    public String remoteType() {
        return remoteType;
    }
}
