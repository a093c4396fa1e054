package org.multiprocessing4j.internal.manager;

import org.multiprocessing4j.internal.codec.MessageReader;
import org.multiprocessing4j.internal.codec.MessageWriter;

/**
 * The requests a process sends to a manager server and its replies, the only place their layout is
 * written down. Each is one RAW frame ({@code FrameLayout}) on a connection authenticated with the
 * manager's authkey; a connection carries one request, then its reply, then the next request.
 * Numbers are big-endian; STR and VALUE are {@link MessageWriter}'s: a STR is a 4-byte length (-1
 * for null) then that many bytes of UTF-8; a VALUE is a {@code Codec} tag byte, a 4-byte length, then
 * the body.
 *
 * <pre>
 * request
 *   0      1                9            13
 *   +------+----------------+------------+-----------------------------------------------+
 *   |  op  |   object id    |  method    | operands                                      |
 *   +------+----------------+------------+-----------------------------------------------+
 *
 *   CALL      object id, method: the caller's number n for the method on this connection, or, the
 *             first time n is used on it, -(n+1) followed by the method's signature (STR:
 *             "declaring.Interface#name(param.Type,...)"); then the argument count (1) and each
 *             argument as a VALUE
 *   CREATE    operands: type id (STR), the interface the caller wants (STR), the argument count (1) and
 *             each argument for the type's factory as a VALUE
 *   RELEASE   operands: a count (4), then that many object ids (8 each): proxies nobody holds any more
 *   HELLO     nothing: the manager's token, to tell it from another one at the same address
 *   SHUTDOWN  nothing: stop serving, then end the manager's process
 *
 * reply
 *   0        1
 *   +--------+---------------------------------------------------------------------------+
 *   | status | body                                                                      |
 *   +--------+---------------------------------------------------------------------------+
 *
 *   VALUE     a VALUE: the result, returned by value (null for void)
 *   PROXY     object id (8), interface (STR): the result stays in the manager; the caller builds a
 *             proxy to it (a CREATE of a proxied type, or a result that cannot be sent, see
 *             ManagerServer#reply)
 *   THROWN    the exception the served object threw: type (STR), message (STR), trace length (4),
 *             each frame: class (STR), method (STR), file (STR), line (4); then its JDK serialization's
 *             length (4; 0 if it could not be serialized) and bytes
 *   ERROR     type (STR), message (STR): the request itself was refused (no such object, a method that
 *             is not exposed, an argument the manager cannot read)
 *   OK        HELLO: the token (8); RELEASE, SHUTDOWN: nothing
 * </pre>
 *
 * Nothing is deserialized before the connection is authenticated. The server deserializes only the
 * arguments of a CALL; the client only results and exceptions.
 */
final class ManagerProtocol {
    /** The ops of a request. */
    static final byte CALL = 'c', CREATE = 'n', RELEASE = 'r', HELLO = 'h', SHUTDOWN = 's';

    /** The statuses of a reply. */
    static final byte VALUE = 'v', PROXY = 'p', THROWN = 'x', ERROR = 'e', OK = 'k';

    static final int OP_OFFSET = 0;
    static final int ID_OFFSET = 1;
    static final int METHOD_OFFSET = 9;
    static final int REQUEST_HEADER = 13;

    /** What an error names a message of this protocol. */
    static final String MESSAGE = "manager message";

    private ManagerProtocol() {
    }

    /** An empty message, to be filled with {@link #writeHeader} or {@link #reply}'s status first. */
    static MessageWriter writer(int capacity) {
        return new MessageWriter("a " + MESSAGE, capacity);
    }

    /** A request of {@code op} that names no object and no method (all but CALL), its operands to follow. */
    static MessageWriter request(byte op) {
        MessageWriter w = writer(64);
        writeHeader(w, op, 0, 0);
        return w;
    }

    /** Writes a request's header: op, object id, method. */
    static void writeHeader(MessageWriter w, byte op, long id, int method) {
        w.writeByte(op);
        w.writeLong(id);
        w.writeInt(method);
    }

    /** A reply of {@code status}, its body to follow. */
    static MessageWriter reply(byte status, int capacity) {
        MessageWriter w = writer(capacity);
        w.writeByte(status);
        return w;
    }

    /** Reads a request or a reply from its first byte (the op or the status). */
    static MessageReader reader(byte[] message) {
        return new MessageReader(MESSAGE, message);
    }
}
