package org.multiprocessing4j.cluster.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.UUID;
import org.multiprocessing4j.EOFError;
import org.multiprocessing4j.SerializableRunnable;
import org.multiprocessing4j.internal.pool.PoolWarmUp;
import org.multiprocessing4j.internal.pool.RemoteWorkers;
import org.multiprocessing4j.internal.pool.WorkerMain;
import org.multiprocessing4j.internal.wire.Dial;
import org.multiprocessing4j.internal.wire.FrameLayout;
import org.multiprocessing4j.internal.wire.SocketTransport;

/**
 * A worker of a driver's pool on a member, in its own JVM, which its member started and watches
 * ({@link WorkerHost}): warmed up and its initializer run, it connects to the driver ({@link Link}) and
 * runs the tasks that come there, one at a time, as a local pool's worker does ({@link WorkerMain}), until
 * the driver says quit, the link ends, or it has run its most tasks. Its member never sees a task.
 *
 * <p>How it ended is for its member to tell its driver. When it never got ready (its initializer threw,
 * or the driver could not be reached) it exits with {@value #START_FAILED}, and when its link ended under
 * it with {@value #LINK_LOST}, each time after writing that code to its end file (a file of its member's,
 * named with a secret of its member's): so a task that exits with one of those codes is not taken for
 * either. Done, it exits with 0.
 */
final class LinkWorker {
    /** The exit code of a worker that never got ready (written to its end file first). */
    static final int START_FAILED = 86;
    /** The exit code of a worker whose link to its driver ended, or failed, under it (written to its end file first). */
    static final int LINK_LOST = 87;

    private LinkWorker() {
    }

    /**
     * What a member's worker process runs. A class, not a lambda or a record, as the local pool's is
     * (see {@code WorkerMain.Target}). Holds the worker's keys: it travels only on the member's private
     * connection to its child.
     */
    static final class Target implements SerializableRunnable {
        private static final long serialVersionUID = 1L;

        private final String links;
        private final byte[] authkey;
        private final byte[] key;       // the worker's: Envelope.workerKey
        private final byte[] cipherKey; // the worker's, or null: bodies in the clear
        private final UUID member;
        private final int pool;
        private final int number;
        private final byte[] initializer; // serialized, empty for none
        private final int maxTasks;
        private final String endFile;

        Target(String links, byte[] authkey, byte[] key, byte[] cipherKey, UUID member, int pool, int number,
               byte[] initializer, int maxTasks, String endFile) {
            this.links = links;
            this.authkey = authkey;
            this.key = key;
            this.cipherKey = cipherKey;
            this.member = member;
            this.pool = pool;
            this.number = number;
            this.initializer = initializer;
            this.maxTasks = maxTasks;
            this.endFile = endFile;
        }

        @Override
        public void run() {
            LinkWorker.run(this);
        }
    }

    /** Exits with {@code code}, once its end file says so. */
    private static void exit(Target t, int code) {
        try {
            java.nio.file.Files.writeString(java.nio.file.Path.of(t.endFile), Integer.toString(code));
        } catch (java.io.IOException | RuntimeException e) {
            System.err.println("the worker cannot say why it ends: " + e); // its member takes it for its task's doing
        }
        System.exit(code);
    }

    /** The link ended, or failed, under the worker. */
    private static final class Lost extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Lost(Throwable cause) {
            super(cause);
        }
    }

    private static void run(Target t) {
        SocketTransport transport;
        Channel channel;
        try {
            PoolWarmUp.run();
            if (t.initializer.length > 0) {
                SerializableRunnable init = RemoteWorkers.initializer(t.initializer);
                init.run();
            }
            transport = Dial.open(t.links, t.authkey);
        } catch (Dial.Failed | RuntimeException | Error e) { // an initializer's error too: the worker is not ready
            System.err.println("the worker cannot get ready: " + e);
            e.printStackTrace();
            exit(t, START_FAILED);
            return;
        }
        transport.parkWithoutSpinning(); // waiting, a spinning worker takes the CPU of the member's others
        try {
            channel = Channel.open(transport, t);
        } catch (IOException | RuntimeException e) {
            transport.close();
            System.err.println("the worker's driver at " + t.links + " did not take it: " + e);
            exit(t, START_FAILED);
            return;
        }
        try {
            WorkerMain.serve(channel, t.maxTasks);
        } catch (Lost lost) { // its driver is gone, or cut off: that driver knows, and needs no word of it
            exit(t, LINK_LOST);
        }
        if (channel.lost) {
            exit(t, LINK_LOST);
        }
        transport.close();
    }

    /** The worker's side of its link: each message an envelope of the link, numbered each way. */
    private static final class Channel implements WorkerMain.Channel {
        private final SocketTransport transport;
        private final UUID id = UUID.randomUUID();
        private final byte[] key;
        private final byte[] cipherKey;
        private long sent;
        private long received;
        boolean lost; // the link ended under the worker

        private Channel(SocketTransport transport, byte[] key, byte[] cipherKey) {
            this.transport = transport;
            this.key = key;
            this.cipherKey = cipherKey;
        }

        /**
         * Takes the driver's nonce (waiting at most {@link Link#HELLO_TIMEOUT}) and says hello: the link's
         * keys are the worker's, of that nonce.
         */
        static Channel open(SocketTransport transport, Target t) throws IOException {
            if (!transport.poll(Link.HELLO_TIMEOUT.toNanos())) {
                throw new IOException("no nonce within " + Link.HELLO_TIMEOUT.toSeconds() + " s");
            }
            SocketTransport.View v = transport.recvView(FrameLayout.MAX_PAYLOAD);
            if (v.length() != ClusterWire.NONCE_OF_LINK_BYTES) {
                throw new IOException("a nonce of " + v.length() + " bytes");
            }
            byte[] nonce = java.util.Arrays.copyOf(v.bytes(), v.length());
            Channel c = new Channel(transport, Envelope.linkKey(t.key, nonce),
                    t.cipherKey == null ? null : Envelope.linkKey(t.cipherKey, nonce));
            byte[] body = ClusterWire.pid(ProcessHandle.current().pid());
            byte[] sealed = Envelope.sealForSession(ClusterWire.LINK, c.id, ++c.sent, c.key, c.cipherKey, body.length,
                    out -> out.put(body));
            ByteBuffer head = ByteBuffer.allocate(16 + 4 + 4).putLong(t.member.getMostSignificantBits())
                    .putLong(t.member.getLeastSignificantBits()).putInt(t.pool).putInt(t.number).flip();
            c.write(new ByteBuffer[] {FrameLayout.header(FrameLayout.RAW, head.remaining() + sealed.length), head,
                    ByteBuffer.wrap(sealed)});
            return c;
        }

        @Override
        public ByteBuffer recv() {
            try {
                SocketTransport.View v = transport.recvView(FrameLayout.MAX_PAYLOAD);
                Envelope.Opened e = Envelope.openInPlace(v.bytes(), 0, v.length(), key).decrypted(cipherKey);
                if (!e.session().equals(id) || e.seq() != ++received || e.kind() != ClusterWire.TASK) {
                    throw new IOException("a frame out of place on the link");
                }
                return e.body();
            } catch (IOException | RuntimeException e) {
                lost = true;
                throw new EOFError("the link to the driver ended: " + e);
            }
        }

        @Override
        public void send(byte[] message) {
            byte[] sealed = Envelope.sealForSession(ClusterWire.ANSWER, id, ++sent, key, cipherKey, message.length,
                    out -> out.put(message));
            write(new ByteBuffer[] {FrameLayout.header(FrameLayout.RAW, sealed.length), ByteBuffer.wrap(sealed)});
        }

        private void write(ByteBuffer[] frames) {
            try {
                transport.sendFrames(frames);
            } catch (IOException | RuntimeException e) {
                throw new Lost(e);
            }
        }
    }
}
