package org.multiprocessing4j.internal.manager;

/**
 * The requests a process sends to a manager server and its replies, the only place their layout is
 * written down. Each is one RAW frame ({@code FrameLayout}) on a connection authenticated with the
 * manager's authkey; a connection carries one request, then its reply, then the next request.
 * Numbers are big-endian; a STR is a 4-byte length (-1 for null) then that many bytes of UTF-8; a
 * VALUE is a {@code Codec} tag byte, a 4-byte length, then the body.
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
    static final byte CALL = 'c';
    static final byte CREATE = 'n';
    static final byte RELEASE = 'r';
    static final byte HELLO = 'h';
    static final byte SHUTDOWN = 's';

    static final byte VALUE = 'v';
    static final byte PROXY = 'p';
    static final byte THROWN = 'x';
    static final byte ERROR = 'e';
    static final byte OK = 'k';

    static final int OP_OFFSET = 0;
    static final int ID_OFFSET = 1;
    static final int METHOD_OFFSET = 9;
    static final int REQUEST_HEADER = 13;

    private ManagerProtocol() {
    }
}
