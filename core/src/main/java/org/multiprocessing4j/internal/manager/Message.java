package org.multiprocessing4j.internal.manager;

import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.multiprocessing4j.internal.codec.Codec;
import org.multiprocessing4j.internal.wire.MessageLimit;

/** The fields of {@link ManagerProtocol}'s messages: a writer that grows, and a reader. */
final class Message {
    private Message() {
    }

    /** Builds one message; {@link #array()} and {@link #length()} give what to send. */
    static final class Writer {
        private byte[] buf;
        private int at;

        Writer(int capacity) {
            buf = new byte[Math.max(16, capacity)];
        }

        Writer putByte(byte b) {
            ensure(1);
            buf[at++] = b;
            return this;
        }

        Writer putInt(int v) {
            ensure(4);
            buf[at] = (byte) (v >>> 24);
            buf[at + 1] = (byte) (v >>> 16);
            buf[at + 2] = (byte) (v >>> 8);
            buf[at + 3] = (byte) v;
            at += 4;
            return this;
        }

        Writer putLong(long v) {
            putInt((int) (v >>> 32));
            return putInt((int) v);
        }

        Writer putBytes(byte[] b, int offset, int length) {
            ensure(length);
            System.arraycopy(b, offset, buf, at, length);
            at += length;
            return this;
        }

        /** A STR: length (-1 for null), UTF-8. */
        Writer putString(String s) {
            if (s == null) {
                return putInt(-1);
            }
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            putInt(b.length);
            return putBytes(b, 0, b.length);
        }

        /** A VALUE: tag, length, body. */
        Writer putValue(Codec.Encoded e) {
            putByte(e.tag());
            putInt(e.body().length);
            return putBytes(e.body(), 0, e.body().length);
        }

        /** Empties the writer, to build another message in the same array if it is at most {@code keep} bytes. */
        void reset(int keep) {
            at = 0;
            if (buf.length > keep) {
                buf = new byte[256];
            }
        }

        /** Overwrites the int at {@code offset}. */
        void setInt(int offset, int v) {
            int saved = at;
            at = offset;
            putInt(v);
            at = saved;
        }

        byte[] array() {
            return buf;
        }

        int length() {
            return at;
        }

        private void ensure(int n) {
            if ((long) at + n > MessageLimit.frameBytes()) {
                throw MessageLimit.exceeded("a manager message of " + ((long) at + n) + " bytes or more");
            }
            if (at + n > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, at + n));
            }
        }
    }

    /** Reads one message's fields in order; a message cut short is an {@link IOException}. */
    static final class Reader {
        private final ByteBuffer b;

        Reader(byte[] message) {
            this.b = ByteBuffer.wrap(message);
        }

        Reader(byte[] message, int offset) {
            this.b = ByteBuffer.wrap(message);
            b.position(offset);
        }

        byte getByte() throws IOException {
            try {
                return b.get();
            } catch (BufferUnderflowException e) {
                throw corrupt();
            }
        }

        int getInt() throws IOException {
            try {
                return b.getInt();
            } catch (BufferUnderflowException e) {
                throw corrupt();
            }
        }

        long getLong() throws IOException {
            try {
                return b.getLong();
            } catch (BufferUnderflowException e) {
                throw corrupt();
            }
        }

        byte[] getBytes(int length) throws IOException {
            if (length < 0 || length > b.remaining()) {
                throw corrupt();
            }
            byte[] out = new byte[length];
            b.get(out);
            return out;
        }

        String getString() throws IOException {
            int length = getInt();
            if (length == -1) {
                return null;
            }
            if (length < 0 || length > b.remaining()) {
                throw corrupt();
            }
            String s = new String(b.array(), b.position(), length, StandardCharsets.UTF_8);
            b.position(b.position() + length);
            return s;
        }

        /** A VALUE's tag and body, not yet decoded. */
        Codec.Encoded getValue() throws IOException {
            byte tag = getByte();
            return new Codec.Encoded(tag, getBytes(getInt()));
        }

        int remaining() {
            return b.remaining();
        }

        private static IOException corrupt() {
            return new IOException("corrupt manager message: cut short");
        }
    }
}
