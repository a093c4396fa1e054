package org.multiprocessing4j;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import org.multiprocessing4j.internal.runtime.RuntimeDir;
import org.multiprocessing4j.internal.wire.PipeHome;

/**
 * A pair of connected {@link Connection}s, Python's {@code multiprocessing.Pipe()}.
 *
 * <p>{@code Pipe.open()} is duplex: both ends send and receive. {@code Pipe.open(false)} is one-way:
 * {@link #left()} only receives and {@link #right()} only sends; the wrong direction throws
 * {@link IllegalStateException}.
 *
 * <p>The ends are connected when {@code open()} returns, as CPython's socket pair is, wherever they go:
 * either end may be handed to any process (captured by a {@link Process} target, or sent through a
 * connection, a queue or a manager), and what one end sends waits for the other end until it is read,
 * even if the sender has exited by then. The process that handed an end over may close its copy at
 * once; closing it closes nothing for the other end while the copy that travelled is open.
 *
 * <p>Unlike a file descriptor, an end is used by one process only: the first copy used (sent to,
 * received from, or polled) owns the end; another copy that tries is refused with {@link IllegalStateException},
 * and an end in use cannot be handed over any more (the hand-over fails, naming the reason).
 *
 * <p>Once every copy of an end is closed, wherever it was (closed, or its process ended, even by
 * {@code kill -9}), a receive on the other end throws {@link EOFError} at once after the messages already
 * sent, and {@code poll} returns true. The pipe lives as long as the JVM that opened it, which joins
 * the ends: when neither end is used there, their messages pass through it; when it exits, the ends
 * elsewhere see end of stream. Each end is
 * {@link AutoCloseable}.
 *
 * @param left  the first end (the receiving end of a one-way pipe)
 * @param right the second end (the sending end of a one-way pipe)
 */
public record Pipe(Connection left, Connection right) implements AutoCloseable {

    /** A duplex pipe. */
    public static Pipe open() {
        return open(true);
    }

    /** A duplex pipe, or with {@code duplex} false a one-way pipe from {@code right} to {@code left}. */
    public static Pipe open(boolean duplex) {
        byte[] id = new byte[8];
        ThreadLocalRandom.current().nextBytes(id);
        PipeHome home = PipeHome.of(RuntimeDir.get(), Process.authkey());
        PipeEnd[] ends = PipeEnd.open(home, HexFormat.of().formatHex(id));
        return new Pipe(new Connection(ends[0], true, duplex), new Connection(ends[1], duplex, true));
    }

    /** Closes both ends, as far as they are still in this process. */
    @Override
    public void close() {
        left.close();
        right.close();
    }
}
