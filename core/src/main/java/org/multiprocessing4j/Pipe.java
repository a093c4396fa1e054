package org.multiprocessing4j;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import org.multiprocessing4j.internal.launch.RuntimeDir;

/**
 * A pair of connected {@link Connection}s, Python's {@code multiprocessing.Pipe()}.
 *
 * <p>{@code Pipe.open()} is duplex: both ends send and receive. {@code Pipe.open(false)} is one-way:
 * {@link #left()} only receives and {@link #right()} only sends; the wrong direction throws
 * {@link IllegalStateException}.
 *
 * <p>Either end may be handed to any process: captured by a {@link Process} target, or sent through a
 * connection. It connects on its first use wherever it is then, so an end must be handed over before it
 * is first used (handing over an end already in use fails at the hand-over, naming the reason). The
 * process that handed an end over may close its copy at once; the end that travelled stays open. A send
 * or receive on one end waits until the other end is first used somewhere; while both ends are still in
 * the JVM that opened the pipe, that JVM may use them both, from one thread too.
 *
 * <p>When the process holding one end dies or closes it, a receive on the other end throws
 * {@link EOFError} once the messages already sent have been received. An end closed before it was ever
 * used makes its peer see end of stream too. Each end is {@link AutoCloseable}.
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
        PipeEnd[] ends = PipeEnd.open(RuntimeDir.get(), HexFormat.of().formatHex(id));
        return new Pipe(new Connection(ends[0], true, duplex), new Connection(ends[1], duplex, true));
    }

    /** Closes both ends, as far as they are still in this process. */
    @Override
    public void close() {
        left.close();
        right.close();
    }
}
