package org.multiprocessing4j;

import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.NotSerializableException;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.multiprocessing4j.internal.codec.Codec;
import org.multiprocessing4j.internal.wait.Deadline;
import org.multiprocessing4j.internal.wire.FrameLayout;
import org.multiprocessing4j.internal.wire.MessageLimit;
import org.multiprocessing4j.internal.wire.RawFrames;
import org.multiprocessing4j.internal.wire.SocketTransport;

/**
 * One end of a connection between processes (Python's {@code multiprocessing.connection.Connection}):
 * objects with {@link #send}/{@link #recv}, raw bytes with {@link #sendBytes}/{@link #recvBytes}.
 * Obtained from {@link Pipe#open()}, {@link Listener#accept()} and {@link Client#connect}. The ends of a
 * pipe are serializable handles that can be handed to any process (see {@link Pipe}); connections from a
 * listener or a client stay in the process that made them.
 *
 * <p>Messages keep their boundaries: one send is received by one receive, never merged or split; an
 * empty message is a message. A message is at most {@value MessageLimit#DEFAULT} bytes, or what
 * {@code -Dmultiprocessing4j.maxMessageBytes} sets: a longer one is refused at {@code send}
 * ({@link IllegalArgumentException} naming the limit; nothing is sent) and by a receiver whose limit is
 * lower, before it is read: that receive throws {@link ProcessError} naming both sizes, and since the
 * message stays unread, so does every later receive on the connection; close it.
 * {@code send} encodes boxed primitives, {@code String}, {@code byte[]} and primitive arrays directly and
 * anything else with JDK serialization; an object that cannot be serialized fails at the call, naming its
 * class, and nothing is sent.
 *
 * <p>Blocking: {@code send} blocks while the peer is not reading and the socket's buffer is full;
 * {@code recv} blocks until a whole message has arrived. {@link #poll(Duration)} waits without consuming
 * (a negative timeout is zero); {@link #waitAny} waits on several connections and processes at once.
 * An interrupt wakes a receive that is waiting for a message to begin ({@link ProcessError} with an
 * {@link InterruptedException} cause; the flag stays set); it does not wake a blocked send, which the
 * peer reading, closing or dying does. On a pipe whose other end has not been used yet, the first
 * 128 KiB of sends are kept, and the next waits until that end is used or gone. Thread-safe: sends go
 * one at a time and never interleave, receives likewise, and one thread may send while another
 * receives.
 *
 * <p>When the peer is gone (it closed its end, or its process died) a receive throws {@link EOFError} at
 * once, after the messages already sent have been received, and a send throws {@link EOFError}.
 * {@link #close()} releases the socket; a thread blocked on this connection wakes up with
 * {@link IllegalStateException}; calls after close throw it too. Closing twice is allowed.
 */
public final class Connection implements AutoCloseable, Serializable {
    private static final long serialVersionUID = 1L;

    private final transient SocketTransport transport; // null for a pipe end
    private final PipeEnd pipe;                        // null for Listener and Client connections
    private final boolean readable;
    private final boolean writable;

    Connection(SocketTransport transport, boolean readable, boolean writable) {
        this.transport = transport;
        this.pipe = null;
        this.readable = readable;
        this.writable = writable;
    }

    Connection(PipeEnd pipe, boolean readable, boolean writable) {
        this.transport = null;
        this.pipe = pipe;
        this.readable = readable;
        this.writable = writable;
    }

    /**
     * Sends an object.
     *
     * @throws IllegalArgumentException if it cannot be serialized (the message names the class), or its
     *     encoding exceeds the message limit (the message names it); nothing is sent then
     * @throws EOFError if the peer is gone
     */
    public void send(Object obj) {
        checkWritable();
        Codec.Encoded e = Codec.encode(obj);
        write(FrameLayout.OBJECT, e.tag(), e.body(), 0, e.body().length);
    }

    /**
     * Receives an object sent with {@link #send}. A message sent with {@link #sendBytes} is returned as
     * its {@code byte[]}.
     *
     * @throws EOFError if the peer is gone and nothing is left to receive
     * @throws ProcessError if the object cannot be deserialized here (its class is missing, say); the
     *     message is consumed
     */
    public Object recv() {
        checkReadable();
        SocketTransport.Frame f = read(FrameLayout.MAX_PAYLOAD);
        if (f.kind() == FrameLayout.RAW) {
            return f.payload();
        }
        try {
            return Codec.decode(f.tag(), f.payload());
        } catch (IOException | ClassNotFoundException | RuntimeException e) {
            throw new ProcessError("cannot read the object received: " + e, e);
        }
    }

    /**
     * Receives an object of the given type.
     *
     * @throws ClassCastException if the object received is of another type (it is consumed)
     */
    public <T> T recv(Class<T> type) {
        Object o = recv();
        if (o != null && !type.isInstance(o)) {
            throw new ClassCastException("received a " + o.getClass().getName() + ", not a " + type.getName());
        }
        return type.cast(o);
    }

    /** Sends the whole array as one message. */
    public void sendBytes(byte[] buf) {
        sendBytes(buf, 0, Objects.requireNonNull(buf, "buf").length);
    }

    /**
     * Sends {@code size} bytes of {@code buf} from {@code offset} as one message.
     *
     * @throws IllegalArgumentException if offset or size is negative or goes past the end of buf, or size
     *     exceeds the message limit (nothing is sent then)
     */
    public void sendBytes(byte[] buf, int offset, int size) {
        Objects.requireNonNull(buf, "buf");
        if (offset < 0) {
            throw new IllegalArgumentException("offset is negative");
        }
        if (buf.length < offset) {
            throw new IllegalArgumentException("buffer length < offset");
        }
        if (size < 0) {
            throw new IllegalArgumentException("size is negative");
        }
        if ((long) buf.length < (long) offset + size) {
            throw new IllegalArgumentException("buffer length < offset + size");
        }
        if (size > MessageLimit.bytes()) {
            throw MessageLimit.exceeded("a message of " + size + " bytes");
        }
        checkWritable();
        write(FrameLayout.RAW, (byte) 0, buf, offset, size);
    }

    /** Receives one message as bytes (for a message sent with {@link #send}, its encoding). */
    public byte[] recvBytes() {
        checkReadable();
        return bytesOf(read(FrameLayout.MAX_PAYLOAD));
    }

    /**
     * Receives one message as bytes, refusing a longer one.
     *
     * @throws IllegalArgumentException if maxLength is negative
     * @throws ProcessError if the next message is longer than maxLength; it stays unread
     */
    public byte[] recvBytes(int maxLength) {
        if (maxLength < 0) {
            throw new IllegalArgumentException("negative maxLength");
        }
        checkReadable();
        return bytesOf(read(maxLength));
    }

    /**
     * Receives one message into {@code buf} at {@code offset} and returns its length.
     *
     * @throws BufferTooShort if the message is longer than the room from offset to the end of buf; the
     *     exception carries the whole message
     * @throws IllegalArgumentException if offset is negative or past the end of buf
     */
    public int recvBytesInto(byte[] buf, int offset) {
        Objects.requireNonNull(buf, "buf");
        if (offset < 0) {
            throw new IllegalArgumentException("negative offset");
        }
        if (offset > buf.length) {
            throw new IllegalArgumentException("offset too large");
        }
        checkReadable();
        byte[] message = bytesOf(read(FrameLayout.MAX_PAYLOAD));
        int room = buf.length - offset;
        if (message.length > room) {
            throw new BufferTooShort(message, room);
        }
        System.arraycopy(message, 0, buf, offset, message.length);
        return message.length;
    }

    /** Whether a message (or the peer's end of stream) is ready to be received, without waiting. */
    public boolean poll() {
        return poll(Duration.ZERO);
    }

    /**
     * Waits up to {@code timeout} for a message (or the peer's end of stream) to be ready, without
     * consuming anything; a negative timeout is zero, and null is refused. On a pipe end not used yet,
     * a poll is its first use: the end belongs to this process from then on (see {@link Pipe}).
     *
     * @throws ProcessError if interrupted (the flag restored)
     */
    public boolean poll(Duration timeout) {
        checkReadable();
        long nanos = Deadline.nanos(timeout);
        try {
            if (pipe == null) {
                return transport.poll(nanos);
            }
            long start = System.nanoTime();
            SocketTransport t;
            try {
                t = pipe.receiving(nanos);
            } catch (EOFException peerGone) {
                return true; // a receive would not block: it throws EOFError at once
            }
            return t != null && t.poll(Math.max(0, nanos - (System.nanoTime() - start)));
        } catch (InterruptedIOException e) {
            throw interrupted("poll", e);
        } catch (IOException e) {
            throw failure(e);
        }
    }

    public boolean isClosed() {
        return pipe != null ? pipe.isClosed() : transport.isClosed();
    }

    /**
     * Waits until at least one of {@code objects} is ready and returns those that are, in the order
     * given (Python's {@code multiprocessing.connection.wait}; a pipe end not used yet counts as used from
     * here on): a {@link Connection} is ready when a receive would not block (a message, or the peer's end of stream), a started {@link Process} when
     * it has ended. Returns an empty list if none is ready within {@code timeout}; null waits for ever.
     *
     * @throws IllegalArgumentException for an object of another kind, or a process never started
     * @throws IllegalStateException for a closed connection
     * @throws ProcessError if interrupted (the interrupt flag is restored)
     */
    public static List<Object> waitAny(Collection<?> objects, Duration timeout) {
        long deadline = Deadline.at(timeout);
        try (Selector selector = Selector.open()) {
            List<Runnable> unsubscribe = new ArrayList<>();
            Runnable wake = selector::wakeup;
            Set<SocketTransport> registered = Collections.newSetFromMap(new IdentityHashMap<>());
            try {
                for (Object o : objects) {
                    if (o instanceof Connection c) {
                        if (c.isClosed()) {
                            throw new IllegalStateException("connection is closed");
                        }
                        if (c.pipe != null) {
                            // Only a wake-up when it is joined or learns its peer is gone; a pipe end not
                            // used yet is used from here on.
                            c.pipe.watch(wake);
                            unsubscribe.add(() -> c.pipe.unwatch(wake));
                            try {
                                c.pipe.use();
                            } catch (EOFException peerGone) {
                                // ready: a receive throws EOFError at once
                            }
                        }
                    } else if (o instanceof Process p) {
                        // Only a wake-up: whether it ended is asked of the process itself, each round.
                        CompletableFuture<?> ended = p.onExit()
                                .orElseThrow(() -> new IllegalArgumentException("process not started: " + p))
                                .thenRun(wake);
                        unsubscribe.add(() -> ended.cancel(false));
                    } else {
                        throw new IllegalArgumentException("can only wait for connections and processes, not "
                                + (o == null ? "null" : o.getClass().getName()));
                    }
                }
                while (true) {
                    List<Object> ready = new ArrayList<>();
                    for (Object o : objects) {
                        if (o instanceof Connection c ? c.readyFor(selector, registered)
                                : ((Process) o).hasEnded()) {
                            ready.add(o);
                        }
                    }
                    long left = deadline - System.nanoTime();
                    if (!ready.isEmpty() || left <= 0) {
                        return ready;
                    }
                    if (Thread.interrupted()) {
                        throw ProcessError.interrupted("waitAny", new InterruptedException());
                    }
                    selector.selectedKeys().clear();
                    selector.select(deadline == Long.MAX_VALUE ? 0 : Math.max(1, (left + 999_999) / 1_000_000));
                }
            } finally {
                unsubscribe.forEach(Runnable::run);
            }
        } catch (IOException e) {
            throw new ProcessError("waitAny failed: " + e, e);
        }
    }

    /**
     * For {@link #waitAny}: whether a receive would not block now; registers the socket with the
     * selector once there is one.
     */
    private boolean readyFor(Selector selector, Set<SocketTransport> registered) throws IOException {
        SocketTransport t = pipe != null ? pipe.joined() : transport;
        if (t == null) {
            return pipe.peerGoneBeforeJoin() || pipe.isClosed();
        }
        if (registered.add(t)) {
            try {
                t.channel().register(selector, SelectionKey.OP_READ, this);
            } catch (ClosedChannelException closedMeanwhile) {
                return true;
            }
        }
        return t.readyWithoutWaiting();
    }

    /** Closes this end; the peer's receives see end of stream once they have read what was sent. */
    @Override
    public void close() {
        if (pipe != null) {
            pipe.close();
        } else {
            transport.close();
        }
    }

    @Override
    public String toString() {
        return "<Connection " + (readable ? "r" : "") + (writable ? "w" : "") + (isClosed() ? " closed" : "") + ">";
    }

    /** The socket this end receives on; a pipe end waits for its join. */
    SocketTransport transport() throws IOException {
        return pipe != null ? pipe.receiving(-1) : transport;
    }

    /** Only pipe ends can be sent to another process; see {@link Pipe}. */
    private void writeObject(ObjectOutputStream out) throws IOException {
        if (pipe == null) {
            throw new NotSerializableException("a Connection from Listener.accept() or Client.connect() cannot be"
                    + " sent to another process; only the ends of a Pipe can");
        }
        out.defaultWriteObject();
    }

    /** A frame's payload as it was on the wire: for an object, its tag and body. */
    private static byte[] bytesOf(SocketTransport.Frame f) {
        return f.kind() == FrameLayout.OBJECT ? Codec.joined(f.tag(), f.payload()) : f.payload();
    }

    private void write(byte kind, byte tag, byte[] buf, int offset, int size) {
        try {
            if (pipe != null) {
                pipe.send(kind, tag, buf, offset, size);
            } else if (kind == FrameLayout.OBJECT) {
                transport.sendObject(tag, buf, offset, size);
            } else {
                transport.send(kind, buf, offset, size);
            }
        } catch (InterruptedIOException e) {
            throw interrupted("send", e);
        } catch (IOException e) {
            throw failure(e);
        }
    }

    private SocketTransport.Frame read(int maxLength) {
        try {
            return transport().recv(maxLength);
        } catch (SocketTransport.FrameTooLongException e) {
            throw new ProcessError("the next message has " + e.length() + " bytes, more than the "
                    + maxLength + " allowed; it was left unread");
        } catch (InterruptedIOException e) {
            throw interrupted("recv", e);
        } catch (IOException e) {
            throw failure(e);
        }
    }

    private static RuntimeException failure(IOException e) {
        return RawFrames.failure(e);
    }

    private static ProcessError interrupted(String what, InterruptedIOException e) {
        return RawFrames.interrupted(what, e);
    }

    private void checkReadable() {
        if (isClosed()) {
            throw new IllegalStateException("connection is closed");
        }
        if (!readable) {
            throw new IllegalStateException("connection is write-only");
        }
    }

    private void checkWritable() {
        if (isClosed()) {
            throw new IllegalStateException("connection is closed");
        }
        if (!writable) {
            throw new IllegalStateException("connection is read-only");
        }
    }
}
