package org.multiprocessing4j.internal.queue;

import org.multiprocessing4j.internal.runtime.RuntimeDir;

/**
 * What a {@code Queue} handle does with its queue, wherever the handle is: {@link ServedQueue} in the
 * JVM that serves the queue (no socket at all), {@link RemoteQueue} in every other process.
 *
 * <p>Items go in as values and come out as values; the access encodes and decodes them. A timeout of
 * -1 waits for ever, 0 does not wait.
 */
public sealed interface QueueAccess permits ServedQueue, RemoteQueue {

    /**
     * The access to queue {@code id} served at {@code address}, from this JVM.
     *
     * @param synchronousPuts a put returns only once its item has been written to the socket (Python's
     *     {@code SimpleQueue}); otherwise a feeder thread writes puts in batches (Python's {@code Queue})
     */
    static QueueAccess of(String address, long id, int maxsize, boolean synchronousPuts) {
        ServedQueue local = QueueServer.local(address, id);
        return local != null ? local : new RemoteQueue(address, id, maxsize, synchronousPuts);
    }

    /**
     * Null if the process serving the queue at {@code address} may still serve it (this JVM, or one
     * whose socket is there and whose pid runs); else why not, naming its pid: a handle to it must not
     * travel on, since what is put there would be lost. Never blocks.
     */
    static String whyGone(String address) {
        if (QueueServer.servesHere(address)) {
            return null;
        }
        String path = socketPath(address);
        long pid = RuntimeDir.ownerPid(path);
        boolean socketThere = path == null || java.nio.file.Files.exists(java.nio.file.Path.of(path));
        if (socketThere && (pid <= 0 || ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))) {
            return null;
        }
        return server(address) + " has ended";
    }

    /** "the process serving this queue (pid N)", for errors; the pid when the address tells it. */
    static String server(String address) {
        long pid = RuntimeDir.ownerPid(socketPath(address));
        return "the process serving this queue" + (pid > 0 ? " (pid " + pid + ")" : "");
    }

    /** The start of an error when the server cannot be reached: whose it was, and what is lost. */
    static String gone(String address) {
        return server(address) + " is gone, and what was put in the queue with it: ";
    }

    private static String socketPath(String address) {
        return address.startsWith("unix:") ? address.substring("unix:".length()) : null;
    }

    /**
     * Puts an item, waiting while a bounded queue is full.
     *
     * @return false if the timeout passed first
     * @throws IllegalArgumentException if the item is not serializable; nothing was put
     */
    boolean put(Object item, long timeoutNanos) throws InterruptedException;

    /** Takes the oldest item; null if the timeout passed first. */
    Object get(long timeoutNanos) throws InterruptedException;

    /** The number of items, counting every item this JVM has put. */
    long size() throws InterruptedException;

    /**
     * One task of a joinable queue is done.
     *
     * @throws IllegalStateException if called more times than items were put
     */
    void taskDone();

    /** Waits until every task of a joinable queue is done; false if the timeout passed first. */
    boolean join(long timeoutNanos) throws InterruptedException;

    /** Waits until every item this JVM put is in the queue (Python's {@code join_thread}). */
    void flush() throws InterruptedException;

    /** This JVM's exit does not wait for its puts to reach the queue (Python's {@code cancel_join_thread}). */
    void cancelFlush();
}
