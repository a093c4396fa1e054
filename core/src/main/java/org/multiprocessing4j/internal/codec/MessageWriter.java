package org.multiprocessing4j.internal.codec;

import java.io.DataOutput;
import java.io.UTFDataFormatException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.multiprocessing4j.internal.wire.MessageLimit;

/**
 * Builds one message of the library's own protocols in an array that grows: the fields in order,
 * numbers big-endian, as {@link java.io.DataOutputStream} writes them, without its stream or its locks.
 * {@link MessageReader} reads them back. Each protocol writes its layout down once, in its own Protocol
 * class; the fields they share are written here:
 *
 * <pre>
 *   STR    length (int32; -1 for null) | that many bytes of UTF-8
 *   VALUE  the codec's tag (1) | the body's length (int32) | the body         ({@link Codec})
 * </pre>
 *
 * A message may not grow past its limit ({@link MessageLimit#frameBytes()} unless told otherwise): the
 * write that would pass it throws {@link MessageLimit#exceeded}, naming the message, and copies nothing.
 * {@link #array()} and {@link #length()} give what to send; nothing is copied unless it grows.
 */
public final class MessageWriter implements DataOutput {

    private final String what;
    private final int limit;
    private byte[] buf;
    private int at;

    /**
     * An empty message of at most {@link MessageLimit#frameBytes()} bytes.
     *
     * @param what the message, as an error names it ("a manager message")
     * @param capacity the array's first size: a message that fits sends the array itself
     */
    public MessageWriter(String what, int capacity) {
        this(what, capacity, MessageLimit.frameBytes());
    }

    /** An empty message of at most {@code limit} bytes. */
    public MessageWriter(String what, int capacity, int limit) {
        this.what = what;
        this.limit = limit;
        this.buf = new byte[Math.max(0, Math.min(capacity, limit))];
    }

    /** {@code v} as four big-endian bytes. */
    public static byte[] intBytes(int v) {
        byte[] b = new byte[4];
        putInt(b, 0, v);
        return b;
    }

    /** {@code v} as eight big-endian bytes. */
    public static byte[] longBytes(long v) {
        byte[] b = new byte[8];
        putLong(b, 0, v);
        return b;
    }

    /** Writes {@code v} big-endian at {@code offset} of {@code b}. */
    public static void putInt(byte[] b, int offset, int v) {
        // plain stores, not a VarHandle: a new child JVM runs this interpreted for its first thousands of
        // messages, where a VarHandle call costs far more than four stores
        b[offset] = (byte) (v >>> 24);
        b[offset + 1] = (byte) (v >>> 16);
        b[offset + 2] = (byte) (v >>> 8);
        b[offset + 3] = (byte) v;
    }

    /** Writes {@code v} big-endian at {@code offset} of {@code b}. */
    public static void putLong(byte[] b, int offset, long v) {
        putInt(b, offset, (int) (v >>> 32));
        putInt(b, offset + 4, (int) v);
    }

    @Override
    public void write(int b) {
        int i = advance(1); // first: it may replace buf
        buf[i] = (byte) b;
    }

    @Override
    public void write(byte[] b) {
        write(b, 0, b.length);
    }

    @Override
    public void write(byte[] b, int offset, int length) {
        java.util.Objects.checkFromIndexSize(offset, length, b.length);
        int i = advance(length);
        System.arraycopy(b, offset, buf, i, length);
    }

    @Override
    public void writeBoolean(boolean v) {
        write(v ? 1 : 0);
    }

    @Override
    public void writeByte(int v) {
        write(v);
    }

    @Override
    public void writeShort(int v) {
        int i = advance(2);
        buf[i] = (byte) (v >>> 8);
        buf[i + 1] = (byte) v;
    }

    @Override
    public void writeChar(int v) {
        writeShort(v);
    }

    @Override
    public void writeInt(int v) {
        int i = advance(4);
        putInt(buf, i, v);
    }

    @Override
    public void writeLong(long v) {
        int i = advance(8);
        putLong(buf, i, v);
    }

    /** The float's bits as they are (a NaN keeps its payload, as in {@link Codec}). */
    @Override
    public void writeFloat(float v) {
        writeInt(Float.floatToRawIntBits(v));
    }

    /** The double's bits as they are (a NaN keeps its payload, as in {@link Codec}). */
    @Override
    public void writeDouble(double v) {
        writeLong(Double.doubleToRawLongBits(v));
    }

    /** The low byte of each char, as {@link DataOutput#writeBytes} says. */
    @Override
    public void writeBytes(String s) {
        int from = advance(s.length());
        for (int i = 0; i < s.length(); i++) {
            buf[from + i] = (byte) s.charAt(i);
        }
    }

    @Override
    public void writeChars(String s) {
        for (int i = 0; i < s.length(); i++) {
            writeChar(s.charAt(i));
        }
    }

    /** {@code s} in modified UTF-8 after its length (uint16), as {@link DataOutput#writeUTF} says. */
    @Override
    public void writeUTF(String s) throws UTFDataFormatException {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            n += c >= 1 && c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
        }
        if (n > 65535) {
            throw new UTFDataFormatException("a string of " + n + " bytes in modified UTF-8, more than 65535");
        }
        writeShort((int) n);
        int i = advance((int) n);
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            if (c >= 1 && c < 0x80) {
                buf[i++] = (byte) c;
            } else if (c < 0x800) {
                buf[i++] = (byte) (0xc0 | c >> 6);
                buf[i++] = (byte) (0x80 | c & 0x3f);
            } else {
                buf[i++] = (byte) (0xe0 | c >> 12);
                buf[i++] = (byte) (0x80 | c >> 6 & 0x3f);
                buf[i++] = (byte) (0x80 | c & 0x3f);
            }
        }
    }

    /** A STR: length (-1 for null), UTF-8. */
    public void writeString(String s) {
        if (s == null) {
            writeInt(-1);
            return;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        writeInt(b.length);
        write(b, 0, b.length);
    }

    /** A VALUE: the codec's tag, the body's length, the body. */
    public void writeValue(Codec.Encoded e) {
        writeValue(e.tag(), e.body());
    }

    /** A VALUE: the codec's tag, the body's length, the body. */
    public void writeValue(byte tag, byte[] body) {
        int i = advance(5 + body.length);
        buf[i] = tag;
        putInt(buf, i + 1, body.length);
        System.arraycopy(body, 0, buf, i + 5, body.length);
    }

    /** Overwrites the int at {@code offset}, already written. */
    public void setInt(int offset, int v) {
        java.util.Objects.checkFromIndexSize(offset, 4, at);
        putInt(buf, offset, v);
    }

    /** Empties the writer, to build another message in the same array if it is at most {@code keep} bytes. */
    public void reset(int keep) {
        at = 0;
        if (buf.length > keep) {
            buf = new byte[Math.min(256, limit)];
        }
    }

    /** The array that holds the message, from 0 to {@link #length()}; the writer's own, not a copy. */
    public byte[] array() {
        return buf;
    }

    /** How many bytes were written. */
    public int length() {
        return at;
    }

    /** The message in an array of its size: the writer's own if it is exactly full, else a copy. */
    public byte[] toByteArray() {
        return at == buf.length ? buf : Arrays.copyOf(buf, at);
    }

    /**
     * Makes room for the next {@code n} bytes and moves past them; returns where they begin. It may
     * replace {@link #buf}: call it before reading the field.
     */
    private int advance(int n) {
        long needed = (long) at + n;
        if (needed > buf.length) {
            grow(needed);
        }
        int from = at;
        at = (int) needed;
        return from;
    }

    private void grow(long needed) {
        if (needed > limit) {
            throw MessageLimit.exceeded(what + " of " + needed + " bytes or more");
        }
        buf = Arrays.copyOf(buf, (int) Math.min(limit, Math.max(needed, 2L * buf.length)));
    }
}
