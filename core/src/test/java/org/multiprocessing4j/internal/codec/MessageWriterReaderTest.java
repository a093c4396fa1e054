package org.multiprocessing4j.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.internal.wire.MessageLimit;

/** The writer and reader of the protocols' messages: every field both ways, their bytes, and the limits. */
class MessageWriterReaderTest {

    private static MessageReader readerOf(MessageWriter w) {
        return new MessageReader("test message", w.array(), 0, w.length());
    }

    @Test
    void everyFieldRoundTripsAndIsLaidOutAsDataOutputStreamDoes() throws Exception {
        ByteArrayOutputStream expectedBytes = new ByteArrayOutputStream();
        DataOutputStream expected = new DataOutputStream(expectedBytes);
        MessageWriter w = new MessageWriter("a test message", 0);
        for (java.io.DataOutput out : new java.io.DataOutput[] {expected, w}) {
            out.writeByte(-1);
            out.writeBoolean(true);
            out.writeShort(-2);
            out.writeChar('é');
            out.writeInt(Integer.MIN_VALUE);
            out.writeInt(0x01020304);
            out.writeLong(Long.MAX_VALUE);
            out.writeFloat(1.5f);
            out.writeDouble(-0.0);
            out.writeUTF("h\u0000é€😀");
            out.writeBytes("ab");
            out.writeChars("c");
            out.write(new byte[] {7, 8, 9}, 1, 2);
            out.write(200);
        }
        assertThat(w.toByteArray()).isEqualTo(expectedBytes.toByteArray());

        MessageReader r = readerOf(w);
        assertThat(r.readByte()).isEqualTo((byte) -1);
        assertThat(r.readBoolean()).isTrue();
        assertThat(r.readShort()).isEqualTo((short) -2);
        assertThat(r.readChar()).isEqualTo('é');
        assertThat(r.readInt()).isEqualTo(Integer.MIN_VALUE);
        assertThat(r.readInt()).isEqualTo(0x01020304);
        assertThat(r.readLong()).isEqualTo(Long.MAX_VALUE);
        assertThat(r.readFloat()).isEqualTo(1.5f);
        assertThat(Double.doubleToRawLongBits(r.readDouble())).isEqualTo(Double.doubleToRawLongBits(-0.0));
        assertThat(r.readUTF()).isEqualTo("h\u0000é€😀");
        assertThat(r.readUnsignedByte()).isEqualTo('a');
        assertThat(r.readUnsignedByte()).isEqualTo('b');
        assertThat(r.readChar()).isEqualTo('c');
        assertThat(r.readUnsignedShort()).isEqualTo(8 << 8 | 9);
        assertThat(r.readUnsignedByte()).isEqualTo(200);
        assertThat(r.remaining()).isZero();
        assertThat(r.position()).isEqualTo(w.length());
    }

    @Test
    void stringsAndValuesAreLengthThenBytes() throws Exception {
        MessageWriter w = new MessageWriter("a test message", 1);
        w.writeString("hé");
        w.writeString(null);
        w.writeString("");
        w.writeValue(Codec.encode(7));
        w.writeValue(Codec.encode(null));
        byte[] expected = ByteBuffer.allocate(w.length()).putInt(3).put("hé".getBytes(StandardCharsets.UTF_8))
                .putInt(-1).putInt(0).put((byte) 'I').putInt(4).putInt(7).put((byte) 'N').putInt(0).array();
        assertThat(w.toByteArray()).isEqualTo(expected);

        MessageReader r = readerOf(w);
        assertThat(r.readString()).isEqualTo("hé");
        assertThat(r.readString()).isNull();
        assertThat(r.readString()).isEmpty();
        Codec.Encoded seven = r.readValue();
        assertThat(Codec.decode(seven.tag(), seven.body())).isEqualTo(7);
        Codec.Encoded none = r.readValue();
        assertThat(none.tag()).isEqualTo((byte) 'N');
        assertThat(none.body()).isEmpty();
        assertThat(r.remaining()).isZero();
    }

    @Test
    void anEmptyMessageAndAOneByteMessage() throws Exception {
        MessageWriter empty = new MessageWriter("a test message", 0);
        assertThat(empty.length()).isZero();
        assertThat(empty.toByteArray()).isEmpty();
        MessageReader r = readerOf(empty);
        assertThat(r.remaining()).isZero();
        assertThatThrownBy(r::readByte).isInstanceOf(EOFException.class).hasMessageContaining("test message");
        assertThat(r.readRest()).isEmpty();
        assertThat(r.readBytes(0)).isEmpty();

        MessageWriter one = new MessageWriter("a test message", 1);
        one.writeByte(42);
        assertThat(one.array()).as("a message that fits is the writer's own array").hasSize(1).containsExactly(42);
        assertThat(one.toByteArray()).isSameAs(one.array());
        assertThat(readerOf(one).readByte()).isEqualTo((byte) 42);
    }

    @Test
    void theWriterGrowsAndResetsAndOverwritesAnInt() {
        MessageWriter w = new MessageWriter("a test message", 2);
        for (int i = 0; i < 1000; i++) {
            w.writeInt(i);
        }
        assertThat(w.length()).isEqualTo(4000);
        w.setInt(4, -5);
        assertThat(MessageReader.intAt(w.array(), 4)).isEqualTo(-5);
        assertThatThrownBy(() -> w.setInt(3998, 0)).isInstanceOf(IndexOutOfBoundsException.class);
        w.reset(1024);
        assertThat(w.length()).isZero();
        assertThat(w.array().length).as("a large array is not kept").isLessThanOrEqualTo(1024);
    }

    @Test
    void aMessageStopsAtItsLimitBeforeItCopies() {
        MessageWriter w = new MessageWriter("a test message", 4, 8);
        w.writeLong(1);
        assertThat(w.length()).isEqualTo(8);
        assertThatThrownBy(() -> w.writeByte(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a test message of 9 bytes or more").hasMessageContaining("message limit");
        assertThat(w.length()).isEqualTo(8);
        assertThatThrownBy(() -> new MessageWriter("a test message", 0, 4).write(new byte[5]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new MessageWriter("a test message", Integer.MAX_VALUE).array().length)
                .as("the first array is never larger than the largest frame").isLessThanOrEqualTo(MessageLimit.frameBytes());
    }

    @Test
    void negativeOrOversizedLengthsAreRefusedWithAClearIoError() {
        MessageWriter w = new MessageWriter("a test message", 16);
        w.writeInt(-7);
        assertThatThrownBy(() -> readerOf(w).readString()).isInstanceOf(IOException.class)
                .hasMessageContaining("corrupt test message").hasMessageContaining("-7");
        MessageWriter big = new MessageWriter("a test message", 16);
        big.writeByte('b');
        big.writeInt(Integer.MAX_VALUE);
        big.writeByte(1);
        assertThatThrownBy(() -> readerOf(big).readValue()).isInstanceOf(IOException.class)
                .hasMessageContaining("a length of " + Integer.MAX_VALUE).hasMessageContaining("1 bytes left");
        assertThatThrownBy(() -> new MessageReader("test message", new byte[4]).readBytes(-1))
                .isInstanceOf(IOException.class).hasMessageContaining("a length of -1");
        assertThatThrownBy(() -> new MessageReader("test message", new byte[4]).checkCount(2, 4, "numbers"))
                .isInstanceOf(IOException.class).hasMessageContaining("2 numbers");
        assertThatThrownBy(() -> new MessageReader("test message", new byte[4]).checkCount(-1, 1, "numbers"))
                .isInstanceOf(IOException.class);
    }

    @Test
    void aMessageCutShortIsAnEofNamingWhere() throws Exception {
        byte[] three = {0, 0, 1};
        assertThatThrownBy(() -> new MessageReader("test message", three).readInt())
                .isInstanceOf(EOFException.class).hasMessageContaining("cut short at byte 0");
        MessageReader r = new MessageReader("test message", new byte[] {9, 0, 0, 0, 0, 0, 0, 0, 1, 2}, 1, 8);
        assertThat(r.readLong()).isEqualTo(1);
        assertThatThrownBy(r::readByte).isInstanceOf(EOFException.class).hasMessageContaining("at byte 8");
        assertThatThrownBy(() -> new MessageReader("test message", three, 2, 2))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void bigEndianHelpers() {
        assertThat(MessageWriter.intBytes(0x01020304)).containsExactly(1, 2, 3, 4);
        assertThat(MessageWriter.longBytes(-2)).containsExactly(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe);
        byte[] b = new byte[6];
        MessageWriter.putInt(b, 2, -1);
        assertThat(b).containsExactly(0, 0, 0xff, 0xff, 0xff, 0xff);
        assertThat(MessageReader.intAt(b, 2)).isEqualTo(-1);
        assertThat(MessageReader.longAt(MessageWriter.longBytes(Long.MIN_VALUE), 0)).isEqualTo(Long.MIN_VALUE);
    }
}
