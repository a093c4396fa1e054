package org.multiprocessing4j.cluster.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
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
 *   a KILL, an END, a WATCH and their answers travel on the driver's Lane to the member, everything else
 *   through Hazelcast
 *     'L' LANE    (empty) the first frame on a new Lane: the lane is this session's, and the session
 *                 ends when the lane's connection does (answered OK)
 *     'O' OPEN    pool (int32) | slots (int32) | maxTasksPerChild (int32) | initializer (bytes, empty for
 *                 none) | links (str: HOST:PORT where the pool's workers connect to the driver, see Link)
 *     'K' KILL    pool (int32) | worker (int32): kill that worker's JVM (answered OK, also if it had ended)
 *     'E' END     pool (int32) | worker (int32): how that worker's JVM ended, answered once it has (ENDED)
 *     'W' WATCH   pool (int32): answered when the pool can run no more here: BROKEN, LEAVING, or OK once
 *                 it was stopped
 *     'S' STOP    pool (int32) | terminate (1)
 *     'P' PIDS    pool (int32)
 *     'B' BYE
 *   member -> driver, signed with the session key
 *     'e' ENDED   how (1: 'x' its JVM exited, by its task's doing or a crash; 'l' its link ended under it
 *                 (it saw it, or its member killed it as it ran on without); 'u' not known, or no such worker)
 *                 | exit code (int32) | stderr tail (str)
 *     'b' BROKEN  why (str): the pool's workers cannot start on this member
 *     'p' PIDLIST n (int32) | n × int64
 *     'k' OK
 *     'd' LEAVING the member is leaving the cluster: run the pool's tasks elsewhere
 *   either way, unsigned
 *     'x' REFUSED why (1: 'K' the authkey is not the cluster's, 'E' anything else) | reason (str)
 *
 *   a member's worker <-> its pool's driver, on the worker's Link, after the handshake of the library's
 *   sockets under the cluster's authkey:
 *     driver -> worker, the first frame: nonce (16, in the clear)
 *     worker -> driver, the second: member (16: its Hazelcast UUID) | pool (int32) | worker (int32), in the
 *                 clear (whose key opens what follows) | 'l' LINK pid (int64)
 *   and every later frame, each way, one envelope: signed with the link's key (Envelope.linkKey, of the
 *   worker's key, Envelope.workerKey, which only its member and its driver can derive from the session's
 *   key), its body encrypted, when the session's are, under the same derivation of the session's
 *   encryption key; its session field the link's own id (a random UUID the worker picks); numbered 1, 2,
 *   ... each way, the LINK first
 *     driver -> worker
 *                 't' TASK  a message of the pool's workers (a function, a chunk, a call or quit, as the
 *                           pool lays it out)
 *     worker -> driver
 *                 'a' ANSWER a worker's answer (a result or an exception, as the pool lays it out)
 * </pre>
 */
public final class ClusterWire {
    public static final byte HELLO = 'H', WELCOME = 'h', LANE = 'L', OPEN = 'O', KILL = 'K', END = 'E', WATCH = 'W',
            STOP = 'S', PIDS = 'P', BYE = 'B', ENDED = 'e', BROKEN = 'b', PIDLIST = 'p', OK = 'k', LEAVING = 'd',
            REFUSED = 'x', LINK = 'l', TASK = 't', ANSWER = 'a';
    /** How a worker ended ({@link Ended#how()}): its JVM exited; its link ended under it; not known. */
    public static final byte EXITED = 'x', LINK_ENDED = 'l', NOT_KNOWN = 'u';
    public static final int NONCE_OF_LINK_BYTES = 16;
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

    public record Open(int pool, int slots, int maxTasksPerChild, byte[] initializer, String links) {
    }

    /** A KILL or an END: one worker of a pool. */
    public record Worker(int pool, int worker) {
    }

    /** An ENDED: how the worker ended ({@link #EXITED}, {@link #LINK_ENDED}, {@link #NOT_KNOWN}), its exit code, its last words. */
    public record Ended(byte how, int exitCode, String stderrTail) {
    }

    public record Stop(int pool, boolean terminate) {
    }

    /** The worker that opened a link, and its pool (from its hello's header, which its key vouches for). */
    public record Link(int pool, int worker, long pid) {
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
            writeBytes(out, o.initializer());
            out.writeUTF(o.links());
        });
    }

    public static byte[] worker(Worker w) {
        return write(out -> {
            out.writeInt(w.pool());
            out.writeInt(w.worker());
        });
    }

    public static byte[] ended(Ended e) {
        return write(out -> {
            out.writeByte(e.how());
            out.writeInt(e.exitCode());
            out.writeUTF(cut(e.stderrTail()));
        });
    }

    public static byte[] broken(String why) {
        return write(out -> out.writeUTF(cut(why)));
    }

    /** A LINK's body: the worker's pid. */
    public static byte[] pid(long pid) {
        return write(out -> out.writeLong(pid));
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
            out.writeUTF(cut(r.reason()));
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
        return new Open(in.readInt(), in.readInt(), in.readInt(), readBytes(in, body.length), in.readUTF());
    }

    public static Worker readWorker(byte[] body) throws IOException {
        DataInputStream in = in(body);
        return new Worker(in.readInt(), in.readInt());
    }

    public static Ended readEnded(byte[] body) throws IOException {
        DataInputStream in = in(body);
        return new Ended(in.readByte(), in.readInt(), in.readUTF());
    }

    public static String readBroken(byte[] body) throws IOException {
        return in(body).readUTF();
    }

    public static long readPid(byte[] body) throws IOException {
        return in(body).readLong();
    }

    public static Stop readStop(byte[] body) throws IOException {
        DataInputStream in = in(body);
        return new Stop(in.readInt(), in.readBoolean());
    }

    public static int readPool(byte[] body) throws IOException {
        return in(body).readInt();
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

    /** A text short enough for a string of the layout (whose length is two bytes, of modified UTF-8). */
    private static String cut(String s) {
        return s.length() > 8_000 ? s.substring(0, 8_000) + "…" : s;
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
