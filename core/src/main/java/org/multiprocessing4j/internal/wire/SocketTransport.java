package org.multiprocessing4j.internal.wire;

import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.concurrent.locks.ReentrantLock;
import org.multiprocessing4j.internal.flight.ConnectionCloseEvent;
import org.multiprocessing4j.internal.flight.ConnectionOpenEvent;
import org.multiprocessing4j.internal.flight.Flight;
import org.multiprocessing4j.internal.wait.Deadline;
import org.multiprocessing4j.internal.wait.IdleStrategy;

/**
 * Frames (see {@link FrameLayout}) over a connected socket channel, Unix-domain or TCP.
 *
 * <p>The channel is non-blocking; a blocked send or receive waits in a selector of its own, so that a
 * timed receive and {@link #poll} are possible and a sender and a receiver on two threads never wait for
 * each other. One sender at a time and one receiver at a time (two locks), so frames never interleave.
 * Received bytes are buffered; {@link #poll} reads ahead into that buffer but never consumes a frame.
 *
 * <p>{@link #close()} wakes a thread blocked in either direction; after it, calls throw
 * {@link ClosedChannelException}. End of stream from the peer (closed by it, or its process died), and
 * any failure of the socket's own reads and writes (reset, broken pipe), is {@link EOFException}.
 */
public final class SocketTransport implements AutoCloseable {
    private static final int BUFFER = 64 * 1024;
    private static final int WRITE_PIECE = 256 * 1024;
    private static final int SEND_BUFFER = 1 << 20;
    /** The longest payload {@link #recvView} receives into its reused array. */
    private static final int SCRATCH_MAX = 1 << 20;
    /** How long a receive looks for a message before it parks (see {@link #spinUntilReadable}). */
    private static final long SPIN_NANOS = IdleStrategy.SOCKET.spinNanos();

    private final SocketChannel channel;
    private final Selector readSelector;
    private final Selector writeSelector;
    private final ReentrantLock sendLock = new ReentrantLock();
    private final ReentrantLock recvLock = new ReentrantLock();
    private final ByteBuffer header = ByteBuffer.allocate(FrameLayout.HEADER_LENGTH + 1); // guarded by sendLock
    private ByteBuffer in = ByteBuffer.allocateDirect(BUFFER).flip();                 // guarded by recvLock
    private byte[] scratch = new byte[0];                                              // guarded by recvLock
    private volatile boolean closed;
    private volatile boolean outputShutdown;
    private volatile boolean spin = true;
    private volatile long spinFor = SPIN_NANOS;
    private boolean eof; // guarded by recvLock

    public SocketTransport(SocketChannel channel) throws IOException {
        this.channel = channel;
        channel.configureBlocking(false);
        try {
            // a large message then needs few writes, and the reader fewer wake-ups of the writer
            channel.setOption(java.net.StandardSocketOptions.SO_SNDBUF, SEND_BUFFER);
        } catch (IOException | UnsupportedOperationException ignored) {
            // the system's default then
        }
        if (channel.supportedOptions().contains(java.net.StandardSocketOptions.TCP_NODELAY)) {
            // TCP: a frame goes out when written. With Nagle's algorithm a frame written while one is not
            // yet acknowledged waits for the peer's delayed ACK, some 40 ms, on every exchange of messages.
            channel.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
        }
        this.readSelector = Selector.open();
        this.writeSelector = Selector.open();
        if (Flight.recorderStarted()) {
            ConnectionOpenEvent opened = new ConnectionOpenEvent();
            if (opened.shouldCommit()) {
                opened.local = address(true);
                opened.remote = address(false);
                opened.commit();
            }
        }
        channel.register(readSelector, SelectionKey.OP_READ);
        channel.register(writeSelector, SelectionKey.OP_WRITE);
    }

    /**
     * A received frame: its kind, and its payload; for an {@link FrameLayout#OBJECT} frame the payload's
     * first byte, the codec's tag, is given apart and {@code payload} is the rest.
     */
    public record Frame(byte kind, byte tag, byte[] payload) {
    }

    /** Sends one {@link FrameLayout#RAW} frame; blocks while the socket's buffer is full. */
    public void send(byte kind, byte[] payload, int offset, int length) throws IOException {
        sendFrame(kind, (byte) 0, false, payload, offset, length);
    }

    /**
     * Sends one {@link FrameLayout#OBJECT} frame whose payload is {@code tag} then {@code body}, without
     * copying the body; blocks while the socket's buffer is full.
     */
    public void sendObject(byte tag, byte[] body, int offset, int length) throws IOException {
        sendFrame(FrameLayout.OBJECT, tag, true, body, offset, length);
    }

    private void sendFrame(byte kind, byte tag, boolean tagged, byte[] body, int offset, int length)
            throws IOException {
        int payloadLength = tagged ? length + 1 : length;
        if ((tagged ? length + 1L : length) > MessageLimit.frameBytes()) {
            throw MessageLimit.exceeded("a message of " + (tagged ? length + 1L : length) + " bytes");
        }
        sendLock.lock();
        try {
            checkOpen();
            header.clear();
            FrameLayout.putHeader(header, kind, payloadLength);
            if (tagged) {
                header.put(tag);
            }
            header.flip();
            // At most WRITE_PIECE bytes of the body per write: the JDK copies a heap buffer to direct
            // memory whole before each write, so a partial write of a large one would copy it again.
            int end = offset + length;
            int at = offset;
            ByteBuffer piece = ByteBuffer.wrap(body, at, Math.min(WRITE_PIECE, length));
            ByteBuffer[] frame = {header, piece};
            while (true) {
                if (write(frame, 0, frame.length) == 0) {
                    await(writeSelector, -1, false);
                } else if (!header.hasRemaining() && !piece.hasRemaining()) {
                    at = piece.position();
                    if (at == end) {
                        break;
                    }
                    piece = ByteBuffer.wrap(body, at, Math.min(WRITE_PIECE, end - at));
                    frame[1] = piece;
                }
            }
        } catch (ClosedChannelException e) {
            throw closedOrEof(e);
        } finally {
            sendLock.unlock();
        }
    }

    /**
     * Sends whole frames that the caller laid out (see {@link FrameLayout}), in order, with as few
     * writes as the socket allows; blocks while the socket's buffer is full. The buffers are consumed.
     */
    public void sendFrames(ByteBuffer[] frames) throws IOException {
        sendLock.lock();
        try {
            checkOpen();
            int first = 0;
            while (first < frames.length) {
                if (write(frames, first, frames.length - first) == 0) {
                    await(writeSelector, -1, false);
                }
                while (first < frames.length && !frames[first].hasRemaining()) {
                    first++;
                }
            }
        } catch (ClosedChannelException e) {
            throw closedOrEof(e);
        } finally {
            sendLock.unlock();
        }
    }

    /**
     * Receives into a buffer of {@code bytes} from now on: for a connection that streams many messages,
     * so that one read takes in more of them.
     */
    public void growReceiveBuffer(int bytes) {
        recvLock.lock();
        try {
            if (bytes > in.capacity()) {
                in = ByteBuffer.allocateDirect(bytes).put(in).flip();
            }
        } finally {
            recvLock.unlock();
        }
    }

    /**
     * No spinning before a receive parks: for the threads of a server, which wait for many peers and
     * would take the CPU from the processes they serve.
     */
    public void parkWithoutSpinning() {
        spin = false;
    }

    /**
     * How long the next receives spin before they park (0: not at all): for a caller that decides wait
     * by wait (see {@link IdleStrategy.Adaptive}). Never longer than {@link #spinNanos()}.
     */
    public void spinBeforeParking(long nanos) {
        spinFor = Math.min(Math.max(0, nanos), SPIN_NANOS);
        spin = spinFor > 0;
    }

    /** How long a receive spins before it parks, when it spins ({@code -Dmultiprocessing4j.spinMicros}). */
    public static long spinNanos() {
        return SPIN_NANOS;
    }

    /**
     * Whether a whole frame is already buffered, so that {@link #recv} returns it without reading the
     * socket. Never reads, never blocks; false while another thread holds the receive side.
     */
    public boolean hasBufferedFrame() {
        if (!recvLock.tryLock()) {
            return false;
        }
        try {
            if (in.remaining() < FrameLayout.HEADER_LENGTH) {
                return false;
            }
            long length = in.getInt(in.position() + FrameLayout.LENGTH_OFFSET);
            return in.remaining() >= FrameLayout.HEADER_LENGTH + length;
        } finally {
            recvLock.unlock();
        }
    }

    /**
     * Receives one frame.
     *
     * @param maxLength frames longer than this are refused with {@link FrameTooLongException}, before
     *     their payload is read (it stays unread)
     */
    public Frame recv(int maxLength) throws IOException {
        recvLock.lock();
        try {
            checkOpen();
            long header = readHeader(maxLength);
            byte[] payload = new byte[payloadLength(header)];
            readPayload(payload, payload.length);
            return new Frame(kind(header), tag(header), payload);
        } catch (ClosedChannelException e) {
            throw closedOrEof(e);
        } finally {
            recvLock.unlock();
        }
    }

    /**
     * A received frame whose payload is the first {@code length} bytes of {@code bytes}, an array the
     * transport lends: valid until the next receive on this transport, and never to be kept.
     */
    public record View(byte kind, byte tag, byte[] bytes, int length) {
    }

    /**
     * Receives one frame into an array that this transport reuses (see {@link View}), for a reader that
     * turns each payload into something else at once (a {@code String}, a copy of exactly its length):
     * a stream of large messages then allocates its bytes once, not twice.
     *
     * @param maxLength as for {@link #recv}
     */
    public View recvView(int maxLength) throws IOException {
        recvLock.lock();
        try {
            checkOpen();
            long header = readHeader(maxLength);
            int length = payloadLength(header);
            byte[] bytes = scratch(length);
            readPayload(bytes, length);
            return new View(kind(header), tag(header), bytes, length);
        } catch (ClosedChannelException e) {
            throw closedOrEof(e);
        } finally {
            recvLock.unlock();
        }
    }

    /**
     * Reads a frame's header, and an object frame's tag, and checks its length. Returns them packed:
     * the payload's length (less the tag) in the low 32 bits, the kind in bits 32-39, the tag in 40-47.
     */
    private long readHeader(int maxLength) throws IOException {
        fill(FrameLayout.HEADER_LENGTH, -1);
        int length = in.getInt(in.position() + FrameLayout.LENGTH_OFFSET);
        byte kind = in.get(in.position() + FrameLayout.KIND_OFFSET);
        if (length < 0 || length > FrameLayout.MAX_PAYLOAD) {
            throw new IOException("corrupt frame: length " + length);
        }
        if (length > MessageLimit.frameBytes()) {
            throw new IOException("the next message has " + length + " bytes, more than the message limit of "
                    + MessageLimit.frameBytes() + " (" + MessageLimit.PROPERTY + "); it was left unread");
        }
        if (length > maxLength) {
            throw new FrameTooLongException(length);
        }
        byte tag = 0;
        if (kind == FrameLayout.OBJECT) {
            if (length < 1) {
                throw new IOException("corrupt frame: an object message without its tag");
            }
            fill(FrameLayout.HEADER_LENGTH + 1, -1);
            tag = in.get(in.position() + FrameLayout.HEADER_LENGTH);
            in.position(in.position() + 1);
            length--;
        }
        in.position(in.position() + FrameLayout.HEADER_LENGTH);
        return (length & 0xffffffffL) | (kind & 0xffL) << 32 | (tag & 0xffL) << 40;
    }

    private static int payloadLength(long header) {
        return (int) header;
    }

    private static byte kind(long header) {
        return (byte) (header >>> 32);
    }

    private static byte tag(long header) {
        return (byte) (header >>> 40);
    }

    /** Reads the next {@code length} bytes, the payload whose header was just read, into {@code payload}. */
    private void readPayload(byte[] payload, int length) throws IOException {
        int buffered = Math.min(in.remaining(), length);
        in.get(payload, 0, buffered);
        ByteBuffer rest = ByteBuffer.wrap(payload, buffered, length - buffered);
        while (rest.hasRemaining()) {
            int n = read(rest);
            if (n < 0) {
                throw new EOFException("the peer closed the connection in the middle of a message");
            } else if (n == 0) {
                await(readSelector, -1, false);
            }
        }
    }

    /** The lent array of {@link #recvView}, at least {@code length} long; a payload over {@value #SCRATCH_MAX} bytes gets its own. */
    private byte[] scratch(int length) {
        if (length > SCRATCH_MAX) {
            return new byte[length];
        }
        if (scratch.length < length) {
            scratch = new byte[Math.max(length, Math.min(SCRATCH_MAX, 2 * scratch.length))];
        }
        return scratch;
    }

    /**
     * Whether a receive would not block: a whole frame header is buffered or arrives within the
     * timeout, or the peer has closed (the receive then throws {@link EOFException}). Consumes nothing.
     *
     * @param timeoutNanos 0 to look without waiting; negative to wait for ever
     */
    public boolean poll(long timeoutNanos) throws IOException {
        recvLock.lock();
        try {
            checkOpen();
            try {
                fill(FrameLayout.HEADER_LENGTH, timeoutNanos);
                return true;
            } catch (EOFException e) {
                return true;
            } catch (TimeoutInternal e) {
                return false;
            }
        } catch (ClosedChannelException e) {
            throw closedOrEof(e);
        } finally {
            recvLock.unlock();
        }
    }

    public boolean isClosed() {
        return closed;
    }

    /** The channel, for waiting on several transports at once. */
    public SocketChannel channel() {
        return channel;
    }

    /**
     * Whether a receive would not block, looking without waiting. False while another thread holds the
     * receive side (it will take what comes).
     */
    public boolean readyWithoutWaiting() throws IOException {
        if (!recvLock.tryLock()) {
            return false;
        }
        try {
            return poll(0);
        } finally {
            recvLock.unlock();
        }
    }

    /**
     * Ends this side's stream: the peer reads end of stream after what was sent; receiving goes on.
     * Waits for a send in progress to finish. Never throws.
     */
    public void shutdownOutput() {
        sendLock.lock();
        try {
            outputShutdown = true;
            if (!closed) {
                channel.shutdownOutput();
            }
        } catch (IOException ignored) {
            // closed meanwhile, or the peer is gone: its stream has ended either way
        } finally {
            sendLock.unlock();
        }
    }

    /** Whether {@link #shutdownOutput()} was called. */
    public boolean outputShutdown() {
        return outputShutdown;
    }

    /** This end's address or the peer's, as {@link Address#describe} writes it; "" if it has none or cannot be read. */
    private String address(boolean local) {
        try {
            java.net.SocketAddress a = local ? channel.getLocalAddress() : channel.getRemoteAddress();
            return a == null ? "" : Address.describe(a);
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    /** Closes the socket; a thread blocked in send or receive wakes up and sees the connection closed. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        readSelector.wakeup();
        writeSelector.wakeup();
        if (Flight.recorderStarted()) {
            ConnectionCloseEvent event = new ConnectionCloseEvent();
            if (event.shouldCommit()) {
                event.local = address(true);
                event.remote = address(false);
                event.commit();
            }
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing is all we wanted
        }
        try {
            readSelector.close();
            writeSelector.close();
        } catch (IOException ignored) {
            // as above
        }
    }

    /** Reads until at least {@code need} bytes are buffered. */
    private void fill(int need, long timeoutNanos) throws IOException {
        if (in.remaining() >= need) {
            return;
        }
        if (eof) {
            throw new EOFException("the peer closed the connection");
        }
        long deadline = Deadline.at(timeoutNanos);
        boolean spun = !spin;
        in.compact();
        try {
            while (in.position() < need) {
                int n = read(in);
                if (n < 0) {
                    eof = true;
                    throw new EOFException(in.position() == 0 ? "the peer closed the connection"
                            : "the peer closed the connection in the middle of a message");
                }
                if (n == 0) {
                    long left = timeoutNanos < 0 ? -1 : deadline - System.nanoTime();
                    if (timeoutNanos >= 0 && left <= 0) {
                        throw TimeoutInternal.INSTANCE;
                    }
                    if (spun || timeoutNanos == 0) {
                        await(readSelector, left, in.position() == 0);
                    } else {
                        spun = true;
                        long spinNanos = spinFor;
                        spinUntilReadable(timeoutNanos < 0 ? spinNanos : Math.min(spinNanos, left));
                    }
                }
            }
        } finally {
            in.flip();
        }
    }

    /**
     * Waits for readiness; negative waits for ever. Throws if the transport was closed meanwhile, and,
     * when {@code interruptible} (no byte of a frame consumed yet), if the thread is interrupted; the
     * interrupt flag stays set. Once a frame has begun it is finished whatever the interrupts, so that
     * the stream stays whole.
     */
    private void await(Selector selector, long timeoutNanos, boolean interruptible) throws IOException {
        checkOpen();
        if (interruptible && Thread.currentThread().isInterrupted()) {
            throw new InterruptedIOException("interrupted while waiting for a message");
        }
        boolean wasInterrupted = !interruptible && Thread.interrupted();
        try {
            select(selector, timeoutNanos);
        } finally {
            if (wasInterrupted || (!interruptible && Thread.interrupted())) {
                Thread.currentThread().interrupt();
            }
        }
        if (interruptible && Thread.currentThread().isInterrupted()) {
            throw new InterruptedIOException("interrupted while waiting for a message");
        }
    }

    /**
     * Spin-then-park, the spin half: look for readable bytes without sleeping for up to
     * {@code nanos}, so that a reply that comes within a few tens of microseconds is taken without the
     * wake-up of an idle CPU (on a VM that wake-up alone costs ~50 µs). Returns as soon as the socket is
     * readable or the time is up; the caller then reads, or parks in the selector.
     */
    private void spinUntilReadable(long nanos) throws IOException {
        long end = System.nanoTime() + nanos;
        do {
            if (readSelector.selectNow() > 0) {
                readSelector.selectedKeys().clear();
                return;
            }
        } while (IdleStrategy.idleSpinningUntil(end) && !closed);
    }

    private void select(Selector selector, long timeoutNanos) throws IOException {
        if (timeoutNanos < 0) {
            selector.select();
        } else {
            long millis = Math.max(1, (timeoutNanos + 999_999) / 1_000_000);
            selector.select(millis);
        }
        selector.selectedKeys().clear();
        checkOpen();
    }

    /**
     * The socket's own I/O. A failure other than this side's close (a reset, a broken pipe, a dead
     * link) means the peer is gone, whatever the platform calls it: {@link EOFException}, caused by it.
     */
    private int read(ByteBuffer b) throws IOException {
        try {
            return channel.read(b);
        } catch (ClosedChannelException e) {
            throw e;
        } catch (IOException e) {
            throw peerGone(e);
        }
    }

    private long write(ByteBuffer[] b, int first, int count) throws IOException {
        try {
            return channel.write(b, first, count);
        } catch (ClosedChannelException e) {
            throw e;
        } catch (IOException e) {
            throw peerGone(e);
        }
    }

    private static EOFException peerGone(IOException e) {
        EOFException gone = new EOFException("the peer is gone: " + e.getMessage());
        gone.initCause(e);
        return gone;
    }

    private void checkOpen() throws ClosedChannelException {
        if (closed) {
            throw new ClosedChannelException();
        }
    }

    private IOException closedOrEof(ClosedChannelException e) {
        return closed ? e : new EOFException("the connection was closed");
    }

    /** A frame longer than the receiver accepts. */
    public static final class FrameTooLongException extends IOException {
        private static final long serialVersionUID = 1L;
        private final int length;

        FrameTooLongException(int length) {
            super("message of " + length + " bytes");
            this.length = length;
        }

        public int length() {
            return length;
        }
    }

    /** A poll that timed out; internal control flow only. */
    private static final class TimeoutInternal extends IOException {
        private static final long serialVersionUID = 1L;
        static final TimeoutInternal INSTANCE = new TimeoutInternal();

        private TimeoutInternal() {
            super(null, null);
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }
}
