package org.multiprocessing4j.internal.launch;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import org.multiprocessing4j.internal.runtime.ExitActions;

/**
 * The child's end of the lifeline: stdin, on which the parent writes the {@link Bootstrap} and then
 * nothing more. A daemon thread stays blocked reading it; the read returns only when the parent's end
 * is closed, which the kernel does when the parent dies, even by {@code kill -9}. The child then halts
 * at once (no shutdown hooks, like a Python child killed by a signal); its own children see their
 * lifelines close in turn.
 *
 * <p>Before this JVM exits for any other reason, {@link #release()} must be called: HotSpot waits up
 * to 300 ms at exit for threads blocked in native code, and closing the channel wakes the reader.
 */
final class Lifeline implements Runnable {
    /** Status of a child that halted because its parent is gone. Nobody is left to read it. */
    static final int PARENT_GONE_STATUS = 1;

    private static final FileChannel STDIN = new FileInputStream(FileDescriptor.in).getChannel();
    private static volatile boolean released;

    private Lifeline() {
    }

    /**
     * Stdin as a stream; the bootstrap is read from it before {@link #watch()}. Not
     * {@code Channels.newInputStream}: on JDK 17 its {@code available()} asks a file channel for its
     * position, which a pipe has not ("Illegal seek"), and a buffered reader of a bootstrap longer than
     * its buffer asks.
     */
    static InputStream stdin() {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return len == 0 ? 0 : STDIN.read(ByteBuffer.wrap(b, off, len));
            }
        };
    }

    /** Starts the watcher thread. */
    static void watch() {
        Thread t = new Thread(null, new Lifeline(), "mp4j-lifeline", 64 * 1024);
        t.setDaemon(true);
        t.start();
    }

    /** Stops watching, because this JVM is about to exit by its own choice. Idempotent. */
    static void release() {
        released = true;
        try {
            STDIN.close();
        } catch (IOException ignored) {
            // closing is all we wanted
        }
    }

    @Override
    public void run() {
        ByteBuffer sink = ByteBuffer.allocate(64);
        try {
            while (STDIN.read(sink) >= 0) {
                sink.clear(); // nothing is sent after the bootstrap; ignore whatever comes
            }
        } catch (IOException closedOrBroken) {
            // closed by release(), or a broken pipe, which means the same as end of file
        }
        if (!released) {
            ExitActions.halt(PARENT_GONE_STATUS);
        }
    }
}
