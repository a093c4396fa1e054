package org.multiprocessing4j.internal.codec;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * An in-memory output stream that holds at most {@code limit} bytes: a write past the limit throws
 * {@link Exceeded} before anything is copied, and so does every later write. An encoder writing into
 * it stops as soon as its output passes the limit, instead of growing an array it cannot have.
 */
public final class LimitedBytes extends OutputStream {
    private final int limit;
    private byte[] buf;
    private int count;
    private boolean exceeded;

    /** The write that would have passed the limit. */
    public static final class Exceeded extends IOException {
        private static final long serialVersionUID = 1L;

        Exceeded(int limit) {
            super("more than " + limit + " bytes");
        }
    }

    public LimitedBytes(int initialCapacity, int limit) {
        this.limit = limit;
        this.buf = new byte[Math.min(Math.max(16, initialCapacity), Math.max(16, limit))];
    }

    @Override
    public void write(int b) throws IOException {
        ensure(1);
        buf[count++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        ensure(len);
        System.arraycopy(b, off, buf, count, len);
        count += len;
    }

    /** The bytes written, in an array of their size. */
    public byte[] toByteArray() {
        return Arrays.copyOf(buf, count);
    }

    /** How many bytes were written. */
    public int size() {
        return count;
    }

    private void ensure(int n) throws Exceeded {
        long needed = (long) count + n;
        if (exceeded || needed > limit) {
            exceeded = true;
            throw new Exceeded(limit);
        }
        if (needed > buf.length) {
            buf = Arrays.copyOf(buf, (int) Math.min(limit, Math.max(needed, 2L * buf.length)));
        }
    }
}
