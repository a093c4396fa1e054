package org.multiprocessing4j.internal.codec;

import java.io.DataInput;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads one message that {@link MessageWriter} built, field by field in order, from a received array
 * (no copy of it, no stream). A message cut short is an {@link EOFException}, a length that is negative
 * or longer than what is left an {@link IOException}; both name the message ("corrupt manager message:
 * ...") and where in it.
 */
public final class MessageReader implements DataInput {

    private final String what;
    private final byte[] b;
    private final int start;
    private final int end;
    private int at;

    /** Reads {@code message} whole; {@code what} names it in errors ("manager message"). */
    public MessageReader(String what, byte[] message) {
        this(what, message, 0, message.length);
    }

    /** Reads the {@code length} bytes of {@code message} from {@code offset}. */
    public MessageReader(String what, byte[] message, int offset, int length) {
        java.util.Objects.checkFromIndexSize(offset, length, message.length);
        this.what = what;
        this.b = message;
        this.start = offset;
        this.end = offset + length;
        this.at = offset;
    }

    /** The big-endian int at {@code offset} of {@code b}. */
    public static int intAt(byte[] b, int offset) {
        // plain loads, not a VarHandle: see MessageWriter.putInt
        return (b[offset] & 0xff) << 24 | (b[offset + 1] & 0xff) << 16 | (b[offset + 2] & 0xff) << 8
                | (b[offset + 3] & 0xff);
    }

    /** The big-endian long at {@code offset} of {@code b}. */
    public static long longAt(byte[] b, int offset) {
        return (long) intAt(b, offset) << 32 | (intAt(b, offset + 4) & 0xffffffffL);
    }

    /** The bytes not read yet. */
    public int remaining() {
        return end - at;
    }

    /** How many bytes were read. */
    public int position() {
        return at - start;
    }

    @Override
    public void readFully(byte[] into) throws EOFException {
        readFully(into, 0, into.length);
    }

    @Override
    public void readFully(byte[] into, int offset, int length) throws EOFException {
        java.util.Objects.checkFromIndexSize(offset, length, into.length);
        System.arraycopy(b, advance(length), into, offset, length);
    }

    /** Skips up to {@code n} bytes; returns how many. */
    @Override
    public int skipBytes(int n) {
        int skipped = Math.max(0, Math.min(n, end - at));
        at += skipped;
        return skipped;
    }

    @Override
    public boolean readBoolean() throws EOFException {
        return readByte() != 0;
    }

    @Override
    public byte readByte() throws EOFException {
        return b[advance(1)];
    }

    @Override
    public int readUnsignedByte() throws EOFException {
        return readByte() & 0xff;
    }

    @Override
    public short readShort() throws EOFException {
        int i = advance(2);
        return (short) (b[i] << 8 | b[i + 1] & 0xff);
    }

    @Override
    public int readUnsignedShort() throws EOFException {
        return readShort() & 0xffff;
    }

    @Override
    public char readChar() throws EOFException {
        return (char) readShort();
    }

    @Override
    public int readInt() throws EOFException {
        return intAt(b, advance(4));
    }

    @Override
    public long readLong() throws EOFException {
        return longAt(b, advance(8));
    }

    @Override
    public float readFloat() throws EOFException {
        return Float.intBitsToFloat(readInt());
    }

    @Override
    public double readDouble() throws EOFException {
        return Double.longBitsToDouble(readLong());
    }

    /** Not a line-oriented format: always throws {@link UnsupportedOperationException}. */
    @Override
    public String readLine() {
        throw new UnsupportedOperationException("a message has no lines");
    }

    /** A string that {@link DataOutput#writeUTF} wrote. */
    @Override
    public String readUTF() throws IOException {
        return DataInputStream.readUTF(this);
    }

    /**
     * The next {@code length} bytes, in an array of their own.
     *
     * @throws IOException if {@code length} is negative or more than what is left
     */
    public byte[] readBytes(int length) throws IOException {
        checkLength(length);
        byte[] out = Arrays.copyOfRange(b, at, at + length);
        at += length;
        return out;
    }

    /** The bytes not read yet, in an array of their own. */
    public byte[] readRest() {
        byte[] out = Arrays.copyOfRange(b, at, end);
        at = end;
        return out;
    }

    /** A STR (see {@link MessageWriter#writeString}). */
    public String readString() throws IOException {
        int length = readInt();
        if (length == -1) {
            return null;
        }
        checkLength(length);
        String s = new String(b, at, length, StandardCharsets.UTF_8);
        at += length;
        return s;
    }

    /** A VALUE's tag and body, not yet decoded (see {@link MessageWriter#writeValue}). */
    public Codec.Encoded readValue() throws IOException {
        byte tag = readByte();
        return new Codec.Encoded(tag, readBytes(readInt()));
    }

    /**
     * Refuses a count of {@code n} items of at least {@code size} bytes each that cannot be in what is
     * left, before room is made for them.
     *
     * @return n
     * @throws IOException if it is negative or too many
     */
    public int checkCount(int n, int size, String items) throws IOException {
        if (n < 0 || (long) n * size > end - at) {
            throw new IOException("corrupt " + what + ": " + n + " " + items + " at byte " + (at - start)
                    + ", " + (end - at) + " bytes left");
        }
        return n;
    }

    private void checkLength(int length) throws IOException {
        if (length < 0 || length > end - at) {
            throw new IOException("corrupt " + what + ": a length of " + length + " at byte " + (at - start)
                    + ", " + (end - at) + " bytes left");
        }
    }

    /** Moves past the next {@code n} bytes; returns where they begin. */
    private int advance(int n) throws EOFException {
        if (n > end - at) {
            throw new EOFException("corrupt " + what + ": cut short at byte " + (at - start) + ", "
                    + n + " more wanted, " + (end - at) + " left");
        }
        int from = at;
        at += n;
        return from;
    }
}
