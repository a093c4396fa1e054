package org.multiprocessing4j.cluster.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The bodies of the {@link Envelope}s between a driver and a member, and between members: the only place
 * they are written down. Numbers are big-endian; a string is Java's modified UTF-8 with a 2-byte length;
 * {@code bytes} is a length (int32) and the bytes.
 *
 * <pre>
 *   driver (or a new member) -> member, signed with the authkey
 *     'H' HELLO   nonce (16) | role (1: 'D' driver, 'M' member) | epoch (int64: the driver's generation,
 *                 which its reconnections count, in the high 32 bits, the number of its HELLO in the low;
 *                 a member takes a HELLO whose epoch is higher than any of that driver's it took before)
 *                 | the member it is for (16: its Hazelcast UUID)
 *                 | encrypts (1: whether the driver encrypts its sessions' bodies, see BodyCipher)
 *   member -> driver, signed with the authkey
 *     'h' WELCOME driver nonce (16) | member nonce (16) | address (str) | lanes (str: HOST:PORT of its
 *                 data connections, see Lane) | pid (int64) | slots (int32)
 *                 | class path: n (int32) | n × (entry name (str) | SHA-256 (32)) | encrypts (1)
 *   driver -> member, signed with the session key (the bodies encrypted, when both encrypt); a LANE,
 *   a RUN and their answers travel on the driver's Lane to the member, everything else through Hazelcast
 *     'L' LANE    (empty) the first frame on a new Lane: the lane is this session's, and the session
 *                 ends when the lane's connection does (answered OK)
 *     'O' OPEN    pool (int32) | slots (int32) | maxTasksPerChild (int32) | retries (int32)
 *                 | task timeout ns (int64, 0 none) | initializer (bytes, empty for none)
 *     'R' RUN     pool (int32) | task (int64) | fn id (int32) | fn (bytes) | timeout ns (int64, 0 the pool's)
 *                 | the worker's message (bytes: a chunk or a call, as the pool lays it out)
 *     'C' CANCEL  pool (int32) | task (int64) | kill (1)
 *     'S' STOP    pool (int32) | terminate (1)
 *     'P' PIDS    pool (int32)
 *     'B' BYE
 *   member -> driver, signed with the session key
 *     'a' ANSWER  task (int64) | the worker's answer (the rest: a result or an exception, as the pool lays it out)
 *     'p' PIDLIST n (int32) | n × int64
 *     'k' OK
 *     'd' LEAVING the member is leaving the cluster: run the task elsewhere
 *   either way, unsigned
 *     'x' REFUSED why (1: 'K' the authkey is not the cluster's, 'E' anything else) | reason (str)
 * </pre>
 */
public final class ClusterWire {
    public static final byte HELLO = 'H', WELCOME = 'h', LANE = 'L', OPEN = 'O', RUN = 'R', CANCEL = 'C', STOP = 'S',
            PIDS = 'P', BYE = 'B', ANSWER = 'a', PIDLIST = 'p', OK = 'k', LEAVING = 'd', REFUSED = 'x';
    public static final byte DRIVER = 'D', MEMBER = 'M';
    /** Why a peer was refused: its authkey, or anything else. */
    public static final byte WRONG_KEY = 'K', ELSE = 'E';
    public static final int NONCE_BYTES = 16;

    private ClusterWire() {
    }

    public record Hello(byte[] nonce, byte role, long epoch, java.util.UUID target, boolean encrypts) {
    }

    public record Welcome(byte[] driverNonce, byte[] memberNonce, String address, String lanes, long pid, int slots,
                          List<ClassPathDigest.Entry> classPath, boolean encrypts) {
    }

    public record Open(int pool, int slots, int maxTasksPerChild, int retries, long timeoutNanos, byte[] initializer) {
    }

    /**
     * A RUN. Its worker's message is a buffer: the driver's task as it is, the member's a view of the
     * envelope it came in (from the buffer's position to its limit; neither copied, nor written).
     */
    public record Run(int pool, long task, int fnId, byte[] fn, long timeoutNanos, ByteBuffer message) {
    }

    public record Cancel(int pool, long task, boolean kill) {
    }

    public record Stop(int pool, boolean terminate) {
    }

    /** An ANSWER; its worker's message as {@link Run}'s is: the worker's bytes, or a view of the envelope. */
    public record Answer(long task, ByteBuffer message) {
    }

    public record Refusal(byte why, String reason) {
        public boolean wrongKey() {
            return why == WRONG_KEY;
        }
    }

    // ---- writing -----------------------------------------------------------------------------------

    public static byte[] hello(Hello h) {
        return write(out -> {
            out.write(h.nonce());
            out.writeByte(h.role());
            out.writeLong(h.epoch());
            out.writeLong(h.target().getMostSignificantBits());
            out.writeLong(h.target().getLeastSignificantBits());
            out.writeBoolean(h.encrypts());
        });
    }

    public static byte[] welcome(Welcome w) {
        return write(out -> {
            out.write(w.driverNonce());
            out.write(w.memberNonce());
            out.writeUTF(w.address());
            out.writeUTF(w.lanes());
            out.writeLong(w.pid());
            out.writeInt(w.slots());
            out.writeInt(w.classPath().size());
            for (ClassPathDigest.Entry e : w.classPath()) {
                out.writeUTF(e.name());
                out.write(e.sha256());
            }
            out.writeBoolean(w.encrypts());
        });
    }

    public static byte[] open(Open o) {
        return write(out -> {
            out.writeInt(o.pool());
            out.writeInt(o.slots());
            out.writeInt(o.maxTasksPerChild());
            out.writeInt(o.retries());
            out.writeLong(o.timeoutNanos());
            writeBytes(out, o.initializer());
        });
    }

    public static byte[] run(Run r) {
        return Envelope.written(runLength(r), out -> writeRun(out, r));
    }

    /** The length of {@code r}'s body. */
    public static int runLength(Run r) {
        return Integer.BYTES * 4 + Long.BYTES * 2 + length(r.fn()) + r.message().remaining();
    }

    /** Writes {@code r}'s body into {@code out} (straight into its envelope: {@link Envelope#seal(byte, java.util.UUID, long, byte[], int, java.util.function.Consumer)}). */
    public static void writeRun(ByteBuffer out, Run r) {
        out.putInt(r.pool()).putLong(r.task()).putInt(r.fnId());
        putBytes(out, r.fn());
        out.putLong(r.timeoutNanos()).putInt(r.message().remaining()).put(r.message().duplicate());
    }

    public static byte[] cancel(Cancel c) {
        return write(out -> {
            out.writeInt(c.pool());
            out.writeLong(c.task());
            out.writeBoolean(c.kill());
        });
    }

    public static byte[] stop(Stop s) {
        return write(out -> {
            out.writeInt(s.pool());
            out.writeBoolean(s.terminate());
        });
    }

    public static byte[] pool(int pool) {
        return write(out -> out.writeInt(pool));
    }

    public static byte[] answer(Answer a) {
        return Envelope.written(answerLength(a), out -> writeAnswer(out, a));
    }

    /** The length of {@code a}'s body. */
    public static int answerLength(Answer a) {
        return Long.BYTES + a.message().remaining();
    }

    /** Writes {@code a}'s body into {@code out} (straight into its envelope, as {@link #writeRun}). */
    public static void writeAnswer(ByteBuffer out, Answer a) {
        out.putLong(a.task()).put(a.message().duplicate());
    }

    public static byte[] pidList(List<Long> pids) {
        return write(out -> {
            out.writeInt(pids.size());
            for (long pid : pids) {
                out.writeLong(pid);
            }
        });
    }

    public static byte[] refusal(Refusal r) {
        return write(out -> {
            out.writeByte(r.why());
            out.writeUTF(r.reason().length() > 8_000 ? r.reason().substring(0, 8_000) + "…" : r.reason());
        });
    }

    // ---- reading: each throws IOException if the body is cut short or corrupt ----------------------

    public static Hello readHello(byte[] body) throws IOException {
        DataInputStream in = in(body);
        return new Hello(readN(in, NONCE_BYTES), in.readByte(), in.readLong(), new java.util.UUID(in.readLong(), in.readLong()),
                in.readBoolean());
    }

    public static Welcome readWelcome(byte[] body) throws IOException {
        DataInputStream in = in(body);
        byte[] dn = readN(in, NONCE_BYTES);
        byte[] mn = readN(in, NONCE_BYTES);
        String address = in.readUTF();
        String lanes = in.readUTF();
        long pid = in.readLong();
        int slots = in.readInt();
        int n = count(in, body.length);
        List<ClassPathDigest.Entry> cp = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            cp.add(new ClassPathDigest.Entry(in.readUTF(), readN(in, 32)));
        }
        return new Welcome(dn, mn, address, lanes, pid, slots, cp, in.readBoolean());
    }

    public static Open readOpen(byte[] body) throws IOException {
        DataInputStream in = in(body);
        return new Open(in.readInt(), in.readInt(), in.readInt(), in.readInt(), in.readLong(), readBytes(in, body.length));
    }

    public static Run readRun(byte[] body) throws IOException {
        return readRun(ByteBuffer.wrap(body));
    }

    /** A RUN read from {@code body} (position to limit); its message a view of {@code body}, not a copy. */
    public static Run readRun(ByteBuffer body) throws IOException {
        ByteBuffer in = body.duplicate();
        try {
            int pool = in.getInt();
            long task = in.getLong();
            int fnId = in.getInt();
            byte[] fn = new byte[lengthFrom(in)];
            in.get(fn);
            long timeoutNanos = in.getLong();
            int n = lengthFrom(in);
            ByteBuffer message = in.slice().limit(n);
            if (in.remaining() != n) {
                throw new IOException("corrupt message of the cluster: " + (in.remaining() - n) + " bytes after a RUN");
            }
            return new Run(pool, task, fnId, fn, timeoutNanos, message);
        } catch (java.nio.BufferUnderflowException e) {
            throw new IOException("corrupt message of the cluster: a RUN cut short");
        }
    }

    public static Cancel readCancel(byte[] body) throws IOException {
        DataInputStream in = in(body);
        return new Cancel(in.readInt(), in.readLong(), in.readBoolean());
    }

    public static Stop readStop(byte[] body) throws IOException {
        DataInputStream in = in(body);
        return new Stop(in.readInt(), in.readBoolean());
    }

    public static int readPool(byte[] body) throws IOException {
        return in(body).readInt();
    }

    public static Answer readAnswer(byte[] body) throws IOException {
        return readAnswer(ByteBuffer.wrap(body));
    }

    /** An ANSWER read from {@code body} (position to limit); its message a view of {@code body}, not a copy. */
    public static Answer readAnswer(ByteBuffer body) throws IOException {
        if (body.remaining() < Long.BYTES) {
            throw new IOException("an answer of " + body.remaining() + " bytes");
        }
        ByteBuffer in = body.duplicate();
        return new Answer(in.getLong(), in.slice());
    }

    public static List<Long> readPidList(byte[] body) throws IOException {
        DataInputStream in = in(body);
        int n = count(in, body.length / Long.BYTES);
        List<Long> pids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            pids.add(in.readLong());
        }
        return pids;
    }

    public static Refusal readRefusal(byte[] body) throws IOException {
        DataInputStream in = in(body);
        return new Refusal(in.readByte(), in.readUTF());
    }

    // ---- helpers -----------------------------------------------------------------------------------

    private interface Body {
        void writeTo(DataOutputStream out) throws IOException;
    }

    private static byte[] write(Body body) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            body.writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // into memory: cannot happen
        }
        return bytes.toByteArray();
    }

    private static void putBytes(ByteBuffer out, byte[] b) {
        byte[] bytes = b == null ? new byte[0] : b;
        out.putInt(bytes.length).put(bytes);
    }

    /** A length read from {@code in}: at most what is left of it. */
    private static int lengthFrom(ByteBuffer in) throws IOException {
        int n = in.getInt();
        if (n < 0 || n > in.remaining()) {
            throw new IOException("corrupt message of the cluster: a length of " + n);
        }
        return n;
    }

    private static int length(byte[] b) {
        return b == null ? 0 : b.length;
    }

    private static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
        byte[] bytes = b == null ? new byte[0] : b;
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static DataInputStream in(byte[] body) {
        return new DataInputStream(new ByteArrayInputStream(body));
    }

    private static byte[] readN(DataInputStream in, int n) throws IOException {
        byte[] b = new byte[n];
        in.readFully(b);
        return b;
    }

    private static byte[] readBytes(DataInputStream in, int most) throws IOException {
        return readN(in, count(in, most));
    }

    /** A count or a length, at most {@code most} (what the body could hold). */
    private static int count(DataInputStream in, int most) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > most) {
            throw new IOException("corrupt message of the cluster: a count of " + n);
        }
        return n;
    }
}
