package org.multiprocessing4j.internal.queue;

import java.nio.charset.StandardCharsets;
import org.multiprocessing4j.internal.codec.MessageReader;
import org.multiprocessing4j.internal.codec.MessageWriter;

/**
 * The requests a process sends to the JVM that serves its queues, and the replies, each one RAW frame
 * on an authenticated connection. The only place the layout is written down.
 *
 * <pre>
 *   0      1                9                17
 *   +------+----------------+----------------+--------------------------------+
 *   |  op  |   queue id     | timeout nanos  | item (PUT: tag + body)         |
 *   +------+----------------+----------------+--------------------------------+
 *   timeout nanos: -1 = wait for ever
 *
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
    /** The requests of a request connection. */
    static final byte PUT = 'P', GET = 'G', SIZE = 'S', TASK_DONE = 'D', JOIN = 'J';

    /** The request that makes a connection a stream, and the one that asks whether a stream's items are in. */
    static final byte STREAM = 'W', SYNC = 'Y';

    /** The statuses of a reply. */
    static final byte OK = 'k', TIMEOUT = 't', ERROR = 'e', MISUSE = 'm';

    static final int ID_OFFSET = 1;
    static final int TIMEOUT_OFFSET = 9;
    static final int REQUEST_HEADER = 17;

    private QueueProtocol() {
    }

    /** A request with nothing after its header. */
    static byte[] request(byte op, long id, long timeoutNanos) {
        return header(op, id, timeoutNanos, 0).array();
    }

    /** A PUT of the item encoded as {@code tag} and {@code body}. */
    static byte[] put(long id, long timeoutNanos, byte tag, byte[] body) {
        MessageWriter w = header(PUT, id, timeoutNanos, 1 + body.length);
        w.writeByte(tag);
        w.write(body);
        return w.array();
    }

    /** A writer of exactly the request's size, so that its array is the request. */
    private static MessageWriter header(byte op, long id, long timeoutNanos, int extra) {
        MessageWriter w = new MessageWriter("a queue request", REQUEST_HEADER + extra);
        w.writeByte(op);
        w.writeLong(id);
        w.writeLong(timeoutNanos);
        return w;
    }

    /** The queue id of a request. */
    static long id(byte[] request) {
        return MessageReader.longAt(request, ID_OFFSET);
    }

    /** The timeout of a request, in nanoseconds. */
    static long timeoutNanos(byte[] request) {
        return MessageReader.longAt(request, TIMEOUT_OFFSET);
    }

    /** A reply of {@code status} alone. */
    static byte[] reply(byte status) {
        return new byte[] {status};
    }

    /** An OK reply that carries an item encoded as {@code tag} and {@code body}. */
    static byte[] item(byte tag, byte[] body) {
        MessageWriter w = new MessageWriter("a queue reply", 2 + body.length);
        w.writeByte(OK);
        w.writeByte(tag);
        w.write(body);
        return w.array();
    }

    /** An OK reply that carries a number. */
    static byte[] number(long n) {
        MessageWriter w = new MessageWriter("a queue reply", 9);
        w.writeByte(OK);
        w.writeLong(n);
        return w.array();
    }

    /** The number of an OK reply's body (see {@link #number}). */
    static long number(byte[] body) {
        return MessageReader.longAt(body, 0);
    }

    /** An ERROR reply: the server's failure. */
    static byte[] error(String message) {
        return refusal(ERROR, message);
    }

    /** A MISUSE reply: the caller's. */
    static byte[] misuse(String message) {
        return refusal(MISUSE, message);
    }

    private static byte[] refusal(byte status, String message) {
        byte[] m = message.getBytes(StandardCharsets.UTF_8);
        MessageWriter w = new MessageWriter("a queue reply", 1 + m.length);
        w.writeByte(status);
        w.write(m);
        return w.array();
    }
}
