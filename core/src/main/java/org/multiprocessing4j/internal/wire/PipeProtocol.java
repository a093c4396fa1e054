package org.multiprocessing4j.internal.wire;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * What a copy of a pipe end says to its pipe's home (see {@link PipeHome}) before it carries data: the
 * only place these messages are written down. Each is one {@link FrameLayout#RAW} frame on the copy's
 * authenticated connection; numbers are big-endian.
 *
 * <pre>
 *   copy → home                                   home → copy
 *   'H' side:u8 ticket:i64 id:utf8   HELLO        'W' WELCOME | 'R' reason:utf8 REFUSED (then closes)
 *   'A'                              ACTIVATE     'K' OK      | 'R' reason:utf8 REFUSED
 *   'M' first:u8                     MOVED        'T' ticket:i64
 *   'V' ticket:i64                   VOID         (no reply)
 * </pre>
 *
 * <ul>
 *   <li>HELLO: a copy arrived in this process with {@code ticket}; the home counts it as an open copy of
 *       that end until its connection ends.</li>
 *   <li>ACTIVATE: the copy is being used; after OK the connection carries the pipe's messages in both
 *       directions, and nothing of this protocol any more. REFUSED: another copy uses that end.</li>
 *   <li>MOVED: the copy is being serialized again (for another process); the reply is the ticket the
 *       new copy will present. {@code first} is 1 when this copy thereby leaves this process. The
 *       connection then guards the new ticket: if it ends before the ticket is presented, the ticket
 *       is void.</li>
 *   <li>VOID: a ticket this connection guards will never be presented (the child it was sent to ended).</li>
 * </ul>
 */
public final class PipeProtocol {
    public static final byte HELLO = 'H';
    public static final byte WELCOME = 'W';
    public static final byte REFUSED = 'R';
    public static final byte ACTIVATE = 'A';
    public static final byte OK = 'K';
    public static final byte MOVED = 'M';
    public static final byte TICKET = 'T';
    public static final byte VOID = 'V';

    /** The longest control message: a pipe's id is short; a reason is a sentence. */
    static final int MAX_MESSAGE = 4096;

    private PipeProtocol() {
    }

    static byte[] hello(int side, long ticket, String id) {
        byte[] name = id.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(10 + name.length).put(HELLO).put((byte) side).putLong(ticket).put(name).array();
    }

    static byte[] refused(String reason) {
        byte[] text = reason.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(1 + text.length).put(REFUSED).put(text).array();
    }

    static byte[] moved(boolean first) {
        return new byte[] {MOVED, (byte) (first ? 1 : 0)};
    }

    static byte[] ticket(byte op, long ticket) {
        return ByteBuffer.allocate(9).put(op).putLong(ticket).array();
    }

    static long ticketOf(byte[] message) throws IOException {
        if (message.length != 9) {
            throw new IOException("corrupt pipe message: " + message.length + " bytes");
        }
        return ByteBuffer.wrap(message, 1, 8).getLong();
    }

    static String textOf(byte[] message, int from) {
        return new String(message, from, message.length - from, StandardCharsets.UTF_8);
    }
}
