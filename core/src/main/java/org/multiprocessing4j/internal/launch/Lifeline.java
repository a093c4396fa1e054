package org.multiprocessing4j.internal.launch;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
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

    /** Stdin as a channel; the bootstrap is read from it before {@link #watch()}. */
    static FileChannel stdin() {
        return STDIN;
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
