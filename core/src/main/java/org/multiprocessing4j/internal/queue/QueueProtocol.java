package org.multiprocessing4j.internal.queue;

/**
 * The requests a process sends to the JVM that serves its queues, and the replies, each one RAW frame
 * on an authenticated connection. The only place the layout is written down.
 *
 * <pre>
 *   request:  op (1) | queue id (8) | timeout nanos (8, -1 = wait for ever) | item (PUT: tag + body)
 *   reply:    status (1) | item (GET, OK: tag + body) | or a long (SIZE, OK) | or a UTF-8 message (ERROR)
 * </pre>
 *
 * Items stay encoded in the server (the codec's tag and body), so it never deserializes them.
 */
final class QueueProtocol {
    static final byte PUT = 'P';
    static final byte GET = 'G';
    static final byte SIZE = 'S';
    static final byte TASK_DONE = 'D';
    static final byte JOIN = 'J';

    static final byte OK = 'k';
    static final byte TIMEOUT = 't';
    static final byte ERROR = 'e';

    static final int REQUEST_HEADER = 1 + 8 + 8;

    private QueueProtocol() {
    }
}
