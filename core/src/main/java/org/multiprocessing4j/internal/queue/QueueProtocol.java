package org.multiprocessing4j.internal.queue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import org.multiprocessing4j.internal.codec.Codec;
import org.multiprocessing4j.internal.codec.MessageReader;
import org.multiprocessing4j.internal.codec.MessageWriter;
import org.multiprocessing4j.internal.wire.FrameLayout;

/**
 * The requests a process sends to the JVM that serves its queues, and the replies, each one RAW frame
 * on an authenticated connection. The only place the layout is written down.
 *
 * <pre>
 *   0      1                9                17
 *   +------+----------------+----------------+
 *   |  op  |   queue id     | timeout nanos  |
 *   +------+----------------+----------------+
 *   timeout nanos: -1 = wait for ever
 *
 *   reply:    status (1) | a long (SIZE, OK) | or a UTF-8 message (ERROR, MISUSE)
 * </pre>
 *
 * ERROR is the server's failure (no such queue: it stopped serving it), a {@code ProcessError} to the
 * caller; MISUSE is the caller's ({@code taskDone()} called too many times), an
 * {@code IllegalStateException}.
 *
 * A connection is either a request connection (one request, one reply, any queue, any number of
 * times) or, if its first request is {@link #STREAM}, one JVM's puts to one queue:
 *
 * <pre>
 *   STREAM request (queue id; timeout ignored) -> OK, or ERROR if there is no such queue
 *   then, in any number and order:
 *     OBJECT frame (tag + body)   one item, added to the queue in arrival order; no reply
 *     RAW frame: a SYNC request   -> OK once every item before it is in the queue
 *   and, to a bounded queue, before its items:
 *     RAW frame: a ROOM request (timeout; no id) -> OK | n (int64), or TIMEOUT
 * </pre>
 *
 * A stream to a bounded queue sends an item only into room the server reserved for it: a ROOM
 * request waits until the queue has room and reserves at least one item's, at most half of what is
 * free; the reply says how much. The room reserved counts as the queue's own, as lent items do, so
 * the queue never holds more than its bound; what a stream reserved and did not use is freed when it
 * ends. An item beyond the room reserved ends the stream. So a producer waits for room once per
 * reply, not once per item.
 *
 * A stream that ends in the middle of a frame (its producer was killed) loses only that frame.
 *
 * <p>A connection whose first request is {@link #TAKES} is one JVM's gets from one queue, which the
 * server may answer with several items at once, lending all but the first:
 *
 * <pre>
 *   TAKES request (queue id; timeout ignored) -> OK, or ERROR if there is no such queue
 *   then, in turn:
 *     TAKE request (timeout; no id)   -> TIMEOUT, or OK | count (int32) | count x (tag | length (int32) | body)
 *     ACK request (no id, no timeout) -> no reply: the first lent item has been handed to the user
 *   and, between them (never while a TAKE waits for its reply):
 *     DONE request (no id, no timeout) -> no reply: JoinableQueue.taskDone() of this JVM
 *     SYNC request (no id, no timeout) -> OK once every DONE before it is counted
 * </pre>
 *
 * The first item of a TAKE's reply is taken once sent; the others are lent to the connection
 * until it acknowledges them, one ACK each, in order, and it sends the next TAKE only once it has
 * acknowledged all. When the connection ends (the consumer exited, or was killed), the server puts
 * the items it lent and were not acknowledged back at the head of the queue, in their order: an item
 * is handed to exactly one consumer. A bounded queue counts lent items as its own, so a producer waits
 * for room as if they were still in it. A JVM sends DONE only while it has taken more items than it
 * marked done, so a DONE is never one too many unless another process marked this one's items done;
 * the server then drops it.
 * The server decodes only boxed primitives (see {@link Items}); anything else, strings too, it keeps
 * encoded, so it never deserializes a class, and sends on to a consumer what it was sent.
 */
final class QueueProtocol {
    /**
     * The requests of a request connection (puts and gets have connections of their own: {@link #STREAM},
     * {@link #TAKES}).
     */
    static final byte SIZE = 'S', TASK_DONE = 'D', JOIN = 'J';

    /**
     * The request that makes a connection a stream, the one that asks whether a stream's items are in,
     * and the one that asks for room in a bounded queue.
     */
    static final byte STREAM = 'W', SYNC = 'Y', ROOM = 'R';

    /** The request that makes a connection one JVM's gets from a queue, its takes, and the acknowledgement of a lent item. */
    static final byte TAKES = 'T', TAKE = 'g', ACK = 'a', DONE = 'd';

    /** The statuses of a reply. */
    static final byte OK = 'k', TIMEOUT = 't', ERROR = 'e', MISUSE = 'm';

    static final int ID_OFFSET = 1;
    static final int TIMEOUT_OFFSET = 9;
    static final int REQUEST_HEADER = 17;

    private QueueProtocol() {
    }

    /** A request: its header alone. */
    static byte[] request(byte op, long id, long timeoutNanos) {
        MessageWriter w = new MessageWriter("a queue request", REQUEST_HEADER);
        w.writeByte(op);
        w.writeLong(id);
        w.writeLong(timeoutNanos);
        return w.array();
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

    /**
     * The OK reply to a TAKE, the items encoded, the first taken and the others lent, as a RAW frame
     * (see {@link FrameLayout}) laid out in buffers that wrap the items' bodies: written with one
     * gathering write, no array of the whole reply is made.
     */
    static ByteBuffer[] items(List<Codec.Encoded> items) {
        long length = 1 + Integer.BYTES;
        for (Codec.Encoded e : items) {
            length += 1 + Integer.BYTES + e.body().length;
        }
        if (length > FrameLayout.MAX_PAYLOAD) {
            throw new IllegalArgumentException("a queue reply of " + length + " bytes");
        }
        ByteBuffer[] frame = new ByteBuffer[2 + 2 * items.size()];
        frame[0] = FrameLayout.header(FrameLayout.RAW, (int) length);
        frame[1] = ByteBuffer.allocate(1 + Integer.BYTES).put(OK).putInt(items.size()).flip();
        int i = 2;
        for (Codec.Encoded e : items) { // each a VALUE, as MessageWriter.writeValue lays it out
            frame[i++] = ByteBuffer.allocate(1 + Integer.BYTES).put(e.tag()).putInt(e.body().length).flip();
            frame[i++] = ByteBuffer.wrap(e.body());
        }
        return frame;
    }

    /**
     * The items of an OK reply (see {@link #items}), in order; the status byte is skipped.
     *
     * @throws IOException if the reply is corrupt
     */
    static ArrayDeque<Codec.Encoded> itemsOf(byte[] reply) throws IOException {
        MessageReader r = new MessageReader("a queue reply", reply, 1, reply.length - 1);
        int count = r.checkCount(r.readInt(), 1 + Integer.BYTES, "items");
        if (count == 0) {
            throw new IOException("corrupt queue reply: no item");
        }
        ArrayDeque<Codec.Encoded> out = new ArrayDeque<>(count);
        for (int i = 0; i < count; i++) {
            out.add(r.readValue());
        }
        return out;
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
