package org.multiprocessing4j.internal.queue;

/**
 * The requests a process sends to the JVM that serves its queues, and the replies, each one RAW frame
 * on an authenticated connection. The only place the layout is written down.
 *
 * <pre>
 *   request:  op (1) | queue id (8) | timeout nanos (8, -1 = wait for ever) | item (PUT: tag + body)
 *   reply:    status (1) | item (GET, OK: tag + body) | or a long (SIZE, OK) | or a UTF-8 message (ERROR, MISUSE)
 * </pre>
 *
 * ERROR is the server's failure (no such queue: it stopped serving it), a {@code ProcessError} to the
 * caller; MISUSE is the caller's ({@code taskDone()} called too many times), an
 * {@code IllegalStateException}.
 *
 * A connection is either a request connection (one request, one reply, any queue, any number of
 * times) or, if its first request is {@link #STREAM}, a stream of puts to one unbounded queue:
 *
 * <pre>
 *   STREAM request (queue id; timeout ignored) -> OK, or ERROR if there is no such queue
 *   then, in any number and order:
 *     OBJECT frame (tag + body)   one item, added to the queue in arrival order; no reply
 *     RAW frame: a SYNC request   -> OK once every item before it is in the queue
 * </pre>
 *
 * A stream that ends in the middle of a frame (its producer was killed) loses only that frame.
 * The server decodes only boxed primitives and strings (see {@link Items}); anything else it keeps
 * encoded, so it never deserializes a class.
 */
final class QueueProtocol {
    static final byte PUT = 'P';
    static final byte GET = 'G';
    static final byte SIZE = 'S';
    static final byte TASK_DONE = 'D';
    static final byte JOIN = 'J';
    static final byte STREAM = 'W';
    static final byte SYNC = 'Y';

    static final byte OK = 'k';
    static final byte TIMEOUT = 't';
    static final byte ERROR = 'e';
    static final byte MISUSE = 'm';

    static final int REQUEST_HEADER = 1 + 8 + 8;

    private QueueProtocol() {
    }
}
