package org.multiprocessing4j.internal.launch;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A child's stderr, read through a pipe instead of inherited: every byte is copied to this JVM's own
 * stderr (file descriptor 2, as inheriting would have) and the last {@value #KEEP} bytes are kept, so
 * that when the child dies the parent can say what it last wrote (a pool's
 * {@code WorkerLostException}). A daemon thread per child copies until the pipe ends.
 */
final class StderrTail {
    private static final int KEEP = 4096;
    private static final OutputStream STDERR = new FileOutputStream(FileDescriptor.err);

    private final byte[] ring = new byte[KEEP]; // guarded by this
    private long total;                          // guarded by this
    private final Thread pump;

    StderrTail(InputStream childStderr, long pid) {
        this.pump = new Thread(() -> copy(childStderr), "mp4j-stderr-" + pid);
        pump.setDaemon(true);
        pump.start();
    }

    private void copy(InputStream in) {
        byte[] buf = new byte[8192];
        try (in) {
            int n;
            while ((n = in.read(buf)) > 0) {
                synchronized (STDERR) {
                    STDERR.write(buf, 0, n);
                    STDERR.flush();
                }
                keep(buf, n);
            }
        } catch (IOException ended) {
            // the child is gone
        }
    }

    private synchronized void keep(byte[] buf, int n) {
        for (int i = Math.max(0, n - KEEP); i < n; i++) {
            ring[(int) (total++ % KEEP)] = buf[i];
        }
    }

    /**
     * The last lines the child wrote, waiting up to {@code waitMillis} for the pipe to end (the child's
     * last words may still be in it). Starts at a line boundary when it had to cut.
     */
    String text(long waitMillis) {
        try {
            pump.join(waitMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        byte[] out;
        synchronized (this) {
            int len = (int) Math.min(total, KEEP);
            out = new byte[len];
            long start = total - len;
            for (int i = 0; i < len; i++) {
                out[i] = ring[(int) ((start + i) % KEEP)];
            }
            if (total > KEEP) {
                int nl = 0;
                while (nl < out.length && out[nl] != '\n') {
                    nl++;
                }
                if (nl < out.length) {
                    byte[] cut = new byte[out.length - nl - 1];
                    System.arraycopy(out, nl + 1, cut, 0, cut.length);
                    out = cut;
                }
            }
        }
        return new String(out, StandardCharsets.UTF_8);
    }
}
