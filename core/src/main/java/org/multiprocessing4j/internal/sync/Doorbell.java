package org.multiprocessing4j.internal.sync;

import java.io.FileInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.multiprocessing4j.internal.runtime.ExitActions;
import org.multiprocessing4j.internal.runtime.RuntimeDir;
import org.multiprocessing4j.internal.wait.Deadline;

/**
 * This JVM's doorbell: how another process wakes the threads of this one that wait on a shared lock,
 * semaphore, event, condition or barrier. It is a named pipe ({@code bell} in the runtime directory,
 * which is private to the user), read by one daemon thread that blocks in {@code read}; a waker writes
 * a byte into it. Every ring, and every local wake, advances a generation and wakes all waiting threads
 * of this JVM, which then look at their object again: a ring carries no data, so a stray ring costs
 * only a look.
 *
 * <p>A named pipe because it is the quickest wake-up a JVM can wait on across processes without
 * native code: on the reference machine a byte through a pipe wakes a blocked reader in ~30 µs,
 * through a Unix socket in ~75 µs, and through a socket watched by a {@code Selector} in ~160 µs.
 * Wakers open it read-write, which never blocks, even if its reader is gone; they stop writing to a
 * process that has died.
 *
 * <p>Waiting threads take the generation before they look at their object, so a ring that comes
 * between the look and the wait is not lost.
 */
public final class Doorbell {
    /** A waker checks that the process behind a doorbell lives at least this often (rings, or time). */
    private static final int CHECK_EVERY_RINGS = 1024;
    private static final long CHECK_EVERY_NANOS = TimeUnit.SECONDS.toNanos(1);

    private static final Object MONITOR = new Object();
    private static long generation; // guarded by MONITOR
    private static final Map<String, Peer> PEERS = new ConcurrentHashMap<>();
    private static volatile Reader reader; // written under Doorbell.class
    private static boolean unavailable; // mkfifo failed once: waiters poll; guarded by Doorbell.class

    private Doorbell() {
    }

    /** The generation now; pass it to {@link #awaitChange}. */
    static long generation() {
        synchronized (MONITOR) {
            return generation;
        }
    }

    /** Wakes every thread of this JVM that waits for a change of generation. */
    static void wakeLocal() {
        synchronized (MONITOR) {
            generation++;
            MONITOR.notifyAll();
        }
    }

    /**
     * Waits until the generation is no longer {@code seen}, or {@code nanos} pass.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    static void awaitChange(long seen, long nanos) throws InterruptedException {
        long deadline = Deadline.at(nanos);
        synchronized (MONITOR) {
            while (generation == seen) {
                long left = Deadline.remainingNanos(deadline);
                if (left <= 0) {
                    return;
                }
                TimeUnit.NANOSECONDS.timedWait(MONITOR, left);
            }
        }
    }

    /** The path of this JVM's doorbell, made on first call; null if it cannot be (waiters then poll). */
    static synchronized String path() {
        if (reader == null && !unavailable) {
            try {
                reader = new Reader(RuntimeDir.get().resolve("bell"));
                // a thread blocked in a native read holds the JVM's exit up for 300 ms: end it first
                ExitActions.jvm().service(Stop.INSTANCE);
                ExitActions.jvm().beforeHalt(WakeReader.INSTANCE);
            } catch (IOException | RuntimeException e) {
                unavailable = true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        return reader == null ? null : reader.path;
    }

    /**
     * Rings the doorbell at {@code path}, of process {@code pid}.
     *
     * @return false if nobody answers there (the process is gone)
     */
    static boolean ring(String path, int pid) {
        Peer peer = PEERS.get(path);
        try {
            if (peer == null) {
                peer = new Peer(FileChannel.open(Path.of(path), StandardOpenOption.READ, StandardOpenOption.WRITE));
                Peer raced = PEERS.putIfAbsent(path, peer);
                if (raced != null) {
                    peer.channel.close();
                    peer = raced;
                }
            }
            if (peer.due() && !SyncBlock.alive(pid)) {
                forget(path, peer);
                return false;
            }
            peer.channel.write(ByteBuffer.wrap(new byte[] {1}));
            return true;
        } catch (IOException e) {
            if (peer != null) {
                forget(path, peer);
            }
            return false;
        }
    }

    private static void forget(String path, Peer peer) {
        PEERS.remove(path, peer);
        try {
            peer.channel.close();
        } catch (IOException ignored) {
            // already broken
        }
    }

    /**
     * The doorbell as a service of this JVM (see {@link ExitActions#service}): stopping it ends the
     * reader, removes the pipe and forgets the pipes of other processes; the next waiter makes it
     * again. Threads that wait meanwhile fall back to their periodic look.
     */
    private enum Stop implements Runnable {
        INSTANCE;

        @Override
        public void run() {
            WakeReader.INSTANCE.run(); // no lock taken: a thread making the doorbell cannot hold the exit up
            synchronized (Doorbell.class) {
                if (reader != null) {
                    reader.close();
                    reader = null;
                }
                for (Map.Entry<String, Peer> e : PEERS.entrySet()) {
                    forget(e.getKey(), e.getValue());
                }
            }
        }
    }

    /** Before a halt: makes the reader leave its read without waiting for it (no lock taken, nothing deleted). */
    private enum WakeReader implements Runnable {
        INSTANCE;

        @Override
        public void run() {
            Reader r = reader; // racy read is fine: at worst the JVM waits its 300 ms
            if (r != null) {
                r.stopping = true;
                try {
                    r.keepOpen.write(ByteBuffer.wrap(new byte[] {0}));
                } catch (IOException ignored) {
                    // halting anyway
                }
            }
        }
    }

    static byte[] encode(String path) {
        return path.getBytes(StandardCharsets.UTF_8);
    }

    /** A kept pipe to another process's doorbell, and when to check that the process lives. */
    private static final class Peer {
        final FileChannel channel;
        private int rings;
        private long checked = System.nanoTime();

        Peer(FileChannel channel) {
            this.channel = channel;
        }

        /** True once in {@link #CHECK_EVERY_RINGS} rings or {@link #CHECK_EVERY_NANOS}: check the process. */
        synchronized boolean due() {
            long now = System.nanoTime();
            if (++rings >= CHECK_EVERY_RINGS || now - checked >= CHECK_EVERY_NANOS) {
                rings = 0;
                checked = now;
                return true;
            }
            return false;
        }
    }

    /** The named pipe and the daemon thread blocked reading it. */
    private static final class Reader implements Runnable {
        final String path;
        final Path file;
        final FileChannel keepOpen; // read-write: the pipe never reports end-of-file, and close can wake the reader
        final FileInputStream in;
        final Thread thread;
        volatile boolean stopping;

        Reader(Path file) throws IOException, InterruptedException {
            this.file = file;
            this.path = file.toString();
            Files.deleteIfExists(file);
            java.lang.Process mk = new ProcessBuilder("mkfifo", "-m", "600", path)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!mk.waitFor(10, TimeUnit.SECONDS) || mk.exitValue() != 0) {
                mk.destroyForcibly();
                throw new IOException("mkfifo " + path + " failed");
            }
            keepOpen = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
            in = new FileInputStream(file.toFile()); // not interruptible, unlike a FileChannel
            thread = new Thread(this, "mp4j-doorbell");
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void run() {
            byte[] sink = new byte[256];
            try {
                while (!stopping) {
                    if (in.read(sink) < 0) {
                        return;
                    }
                    wakeLocal();
                }
            } catch (IOException closed) {
                // stopped
            }
        }

        void close() {
            stopping = true;
            try {
                keepOpen.write(ByteBuffer.wrap(new byte[] {0})); // wakes the reader, which sees stopping
                thread.join(1000);
            } catch (IOException ignored) {
                // closing anyway
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            try {
                in.close();
                keepOpen.close();
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // best effort
            }
        }
    }
}
