package org.multiprocessing4j.cluster.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import org.multiprocessing4j.internal.wire.FrameLayout;
import org.multiprocessing4j.internal.wire.SocketTransport;

/**
 * A member's worker's connection to its pool's driver, the driver's side (the worker's is
 * {@link LinkWorker}): the pool's tasks go to the worker on it, and the worker's answers come back, with
 * no member in between. The worker opens it, authenticated with the cluster's authkey before anything is
 * read ({@link org.multiprocessing4j.internal.wire.Dial}); the driver then sends a nonce, and the worker
 * its hello, signed with the key of this link ({@link Envelope#linkKey}, of the nonce and the worker's own
 * key, which its member derived from the session's for it alone); every later frame is an envelope signed
 * with that key, its session field the link's id, numbered 1, 2, ... each way ({@link ClusterWire} lays
 * them out). A frame that does not open, or comes out of turn, ends the link.
 *
 * <p>One thread reads (the link's own, see {@link #receive}); {@link #send} may be called from any, one
 * at a time. When the connection ends, whichever way, the reader's next {@link #receive} throws.
 */
final class Link implements AutoCloseable {
    /** How long a worker that connected may take to say hello. */
    static final Duration HELLO_TIMEOUT = Duration.ofSeconds(30);
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * A link's hello, checked: the worker's member's peer, the link's id, who the worker is, and the link's
     * keys (null for the cipher's: bodies in the clear).
     */
    record Hello(Driver.Peer peer, UUID id, ClusterWire.Link worker, byte[] key, byte[] cipherKey) {
    }

    private final SocketTransport transport;
    private final Hello hello;
    private long sent;           // guarded by this: the last frame sent
    private long received = 1;   // the reader's: the hello was the first

    Link(SocketTransport transport, Hello hello) {
        this.transport = transport;
        this.hello = hello;
    }

    /**
     * Sends a new link's nonce on {@code transport}, then reads the worker's hello (waiting at most
     * {@link #HELLO_TIMEOUT}), and checks it with the key of the worker it names, of the member whose peer
     * {@code peerOf} finds (null: none).
     *
     * @throws IOException if the connection ended, or no hello came in time, or it is not a hello of a
     *     current peer's worker, signed for this link
     */
    static Hello readHello(SocketTransport transport, Function<UUID, Driver.Peer> peerOf) throws IOException {
        byte[] nonce = new byte[ClusterWire.NONCE_OF_LINK_BYTES];
        RANDOM.nextBytes(nonce);
        transport.sendFrames(new ByteBuffer[] {FrameLayout.header(FrameLayout.RAW, nonce.length), ByteBuffer.wrap(nonce)});
        if (!transport.poll(HELLO_TIMEOUT.toNanos())) {
            throw new IOException("a worker that connected said no hello within " + HELLO_TIMEOUT.toSeconds() + " s");
        }
        SocketTransport.View v = transport.recvView(FrameLayout.MAX_PAYLOAD);
        int header = 16 + 4 + 4;
        if (v.length() < header) {
            throw new IOException("a link's hello of " + v.length() + " bytes");
        }
        ByteBuffer head = ByteBuffer.wrap(v.bytes(), 0, header);
        UUID member = new UUID(head.getLong(), head.getLong());
        int pool = head.getInt();
        int worker = head.getInt();
        Driver.Peer peer = peerOf.apply(member);
        if (peer == null) {
            throw new IOException("a link of a worker of the member " + member + ", which is no peer of this driver");
        }
        byte[] key = Envelope.linkKey(Envelope.workerKey(peer.key(), pool, worker), nonce);
        byte[] cipherKey = peer.cipherKey() == null ? null
                : Envelope.linkKey(Envelope.workerKey(peer.cipherKey(), pool, worker), nonce);
        Envelope e;
        try {
            e = Envelope.openInPlace(v.bytes(), header, v.length() - header, key).decrypted(cipherKey).envelope();
        } catch (org.multiprocessing4j.AuthenticationError wrong) {
            throw new IOException("a link whose hello is not signed with its worker's key for this link", wrong);
        }
        if (e.kind() != ClusterWire.LINK || e.seq() != 1) {
            throw new IOException("a link whose first frame is not its hello");
        }
        return new Hello(peer, e.session(), new ClusterWire.Link(pool, worker, ClusterWire.readPid(e.body())), key,
                cipherKey);
    }

    Hello hello() {
        return hello;
    }

    /**
     * Sends messages to the worker, in order, in one write; each message is the concatenation of its
     * buffers (from position to limit, left unchanged). A failure closes the link: its reader then sees
     * it end.
     */
    void send(List<ByteBuffer[]> messages) {
        List<ByteBuffer> frames = new ArrayList<>(2 * messages.size());
        synchronized (this) {
            for (ByteBuffer[] parts : messages) {
                int length = 0;
                for (ByteBuffer b : parts) {
                    length += b.remaining();
                }
                byte[] sealed = Envelope.sealForSession(ClusterWire.TASK, hello.id(), ++sent, hello.key(), hello.cipherKey(), length,
                        out -> {
                            for (ByteBuffer b : parts) {
                                out.put(b.duplicate());
                            }
                        });
                frames.add(FrameLayout.header(FrameLayout.RAW, sealed.length));
                frames.add(ByteBuffer.wrap(sealed));
            }
            try {
                transport.sendFrames(frames.toArray(ByteBuffer[]::new));
            } catch (IOException | RuntimeException e) {
                close();
            }
        }
    }

    /**
     * Waits up to {@code timeoutNanos} for a frame; true if one can be read.
     *
     * @throws IOException if the connection ended
     */
    boolean poll(long timeoutNanos) throws IOException {
        return transport.poll(timeoutNanos);
    }

    /** Whether a whole frame can be read without waiting. */
    boolean hasBufferedFrame() {
        return transport.hasBufferedFrame();
    }

    /**
     * The worker's next answer (blocking): a view of the bytes that came, valid until the next receive.
     *
     * @throws IOException if the connection ended, or the frame is not the worker's next answer
     */
    ByteBuffer receive() throws IOException {
        SocketTransport.View v = transport.recvView(FrameLayout.MAX_PAYLOAD);
        Envelope.Opened e;
        try {
            e = Envelope.openInPlace(v.bytes(), 0, v.length(), hello.key()).decrypted(hello.cipherKey());
        } catch (org.multiprocessing4j.AuthenticationError wrong) {
            throw new IOException("a frame on the link not signed with its session key", wrong);
        }
        if (!e.session().equals(hello.id()) || e.seq() != ++received || e.kind() != ClusterWire.ANSWER) {
            throw new IOException("a frame out of place on the link");
        }
        return e.body();
    }

    /** Closes the connection: the worker sees it end, and so does this side's reader. Idempotent. */
    @Override
    public void close() {
        transport.close();
    }
}
