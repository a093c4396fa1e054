package org.multiprocessing4j.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.internal.wire.MessageLimit;

/** The codec on its own: every tag both ways, the byte layout it promises, and the limits. */
class CodecTest {

    private static Object roundTrip(Object value) throws Exception {
        Codec.Encoded e = Codec.encode(value);
        return Codec.decode(e.tag(), e.body());
    }

    private static char tagOf(Object value) {
        return (char) Codec.encode(value).tag();
    }

    @Test
    void eachKindOfValueHasItsTag() {
        assertThat(tagOf(null)).isEqualTo('N');
        assertThat(tagOf(true)).isEqualTo('Z');
        assertThat(tagOf(1)).isEqualTo('I');
        assertThat(tagOf(1L)).isEqualTo('J');
        assertThat(tagOf(1.0)).isEqualTo('D');
        assertThat(tagOf("s")).isEqualTo('S');
        assertThat(tagOf(new byte[1])).isEqualTo('b');
        assertThat(tagOf(new int[1])).isEqualTo('i');
        assertThat(tagOf(new long[1])).isEqualTo('j');
        assertThat(tagOf(new double[1])).isEqualTo('d');
        assertThat(tagOf(List.of(1))).isEqualTo('X');
        assertThat(tagOf((short) 1)).as("only the types listed take the fast path").isEqualTo('X');
        assertThat(tagOf(1.0f)).isEqualTo('X');
    }

    /**
     * A HashMap of strings, boxed numbers, booleans and nulls takes the map path and comes back an equal
     * HashMap; one with anything else in it, or another kind of map, is JDK-serialized as before.
     */
    @Test
    void aHashMapOfPlainValuesTakesTheMapPath() throws Exception {
        java.util.HashMap<Object, Object> words = new java.util.HashMap<>();
        for (int i = 0; i < 1_000; i++) {
            words.put("word" + i + "é€𝄞", i);
        }
        words.put(null, "null key");
        words.put("null value", null);
        words.put(7L, 1.5);
        words.put(2.5, true);
        words.put("", Long.MIN_VALUE);
        assertThat(tagOf(words)).isEqualTo('M');
        assertThat(roundTrip(words)).isInstanceOf(java.util.HashMap.class).isEqualTo(words);
        assertThat(roundTrip(new java.util.HashMap<>())).isEqualTo(Map.of());

        java.util.HashMap<String, Object> nested = new java.util.HashMap<>(Map.of("a", 1, "b", List.of(2)));
        assertThat(tagOf(nested)).as("a value of another class").isEqualTo('X');
        assertThat(roundTrip(nested)).isEqualTo(nested);
        java.util.LinkedHashMap<String, Integer> ordered = new java.util.LinkedHashMap<>();
        ordered.put("z", 1);
        ordered.put("a", 2);
        assertThat(tagOf(ordered)).as("another kind of map keeps what makes it so").isEqualTo('X');
        assertThat(roundTrip(ordered)).isInstanceOf(java.util.LinkedHashMap.class).isEqualTo(ordered);
    }

    record Doc(String path, String text, int lines, long size, double score, boolean seen, Integer boxed)
            implements Serializable {
    }

    record Checked(String name) implements Serializable {
        Checked {
            if (name == null || name.isEmpty()) {
                throw new IllegalArgumentException("a name is needed");
            }
        }
    }

    record Holding(String name, List<Integer> values) implements Serializable {
    }

    record Replaced(String name) implements Serializable {
        private Object readResolve() {
            return new Replaced(name + "!");
        }
    }

    record Shorts(short s) implements Serializable {
    }

    /**
     * A record of strings, numbers, booleans and nulls takes the record path and comes back equal, made
     * by its canonical constructor; one that holds anything else, declares readResolve, or has a
     * component of another primitive type is JDK-serialized, and keeps what that does.
     */
    @Test
    void aRecordOfPlainValuesTakesTheRecordPath() throws Exception {
        Doc doc = new Doc("/usr/lib/python3/a.py", "é€𝄞 text\n".repeat(1_000), 1_000, 1L << 40, 0.5, true, null);
        assertThat(tagOf(doc)).isEqualTo('R');
        assertThat(roundTrip(doc)).isEqualTo(doc);
        assertThat(roundTrip(new Doc(null, "", 0, 0, Double.NaN, false, 7))).isEqualTo(new Doc(null, "", 0, 0, Double.NaN, false, 7));
        assertThat(tagOf(new Checked("x"))).isEqualTo('R');

        Holding holding = new Holding("h", List.of(1, 2));
        assertThat(tagOf(holding)).as("a component of another class").isEqualTo('X');
        assertThat(roundTrip(holding)).isEqualTo(holding);
        assertThat(tagOf(new Replaced("r"))).isEqualTo('X');
        assertThat(roundTrip(new Replaced("r"))).as("readResolve ran").isEqualTo(new Replaced("r!"));
        assertThat(tagOf(new Shorts((short) 3))).isEqualTo('X');
        assertThat(roundTrip(new Shorts((short) 3))).isEqualTo(new Shorts((short) 3));
    }

    /**
     * Reading a record runs its canonical constructor, whose checks refuse values it would refuse from
     * anyone; a class the filter rejects is refused before it is touched; a body that names a class that
     * is not such a record, or holds a value of the wrong type, is refused.
     */
    @Test
    void readingARecordKeepsTheRulesOfDeserialization() throws Exception {
        MessageWriter w = new MessageWriter("forged", 64); // what no Checked would encode: an empty name
        w.writeString(Checked.class.getName());
        w.writeInt(1);
        w.writeString("name");
        w.writeByte('S');
        w.writeString("");
        assertThatThrownBy(() -> Codec.decode((byte) 'R', w.toByteArray()))
                .isInstanceOf(java.io.InvalidObjectException.class).hasMessageContaining("a name is needed");

        SerialFilter.setUserFilter(info -> info.serialClass() == Doc.class
                ? java.io.ObjectInputFilter.Status.REJECTED : java.io.ObjectInputFilter.Status.UNDECIDED);
        try {
            Codec.Encoded doc = Codec.encode(new Doc("p", "t", 1, 2, 3, true, 4));
            assertThatThrownBy(() -> Codec.decode(doc.tag(), doc.body()))
                    .isInstanceOf(java.io.InvalidClassException.class).hasMessageContaining("REJECTED");
        } finally {
            SerialFilter.setUserFilter(null);
        }

        MessageWriter notARecord = new MessageWriter("forged", 64);
        notARecord.writeString(java.util.ArrayList.class.getName());
        notARecord.writeInt(0);
        assertThatThrownBy(() -> Codec.decode((byte) 'R', notARecord.toByteArray()))
                .isInstanceOf(java.io.InvalidClassException.class);
        MessageWriter wrongType = new MessageWriter("forged", 64);
        wrongType.writeString(Checked.class.getName());
        wrongType.writeInt(1);
        wrongType.writeString("name");
        wrongType.writeByte('I');
        wrongType.writeInt(5);
        assertThatThrownBy(() -> Codec.decode((byte) 'R', wrongType.toByteArray()))
                .isInstanceOf(java.io.InvalidClassException.class).hasMessageContaining("not a java.lang.String");
        // another version of the class, as JDK serialization reads it: components matched by name, one the
        // sender had and this class has not dropped, one this class has and the sender had not defaulted
        MessageWriter evolved = new MessageWriter("another version", 64);
        evolved.writeString(Doc.class.getName());
        evolved.writeInt(3);
        evolved.writeString("text");
        evolved.writeByte('S');
        evolved.writeString("t");
        evolved.writeString("removed");
        evolved.writeByte('I');
        evolved.writeInt(9);
        evolved.writeString("path");
        evolved.writeByte('S');
        evolved.writeString("p");
        assertThat(Codec.decode((byte) 'R', evolved.toByteArray()))
                .isEqualTo(new Doc("p", "t", 0, 0L, 0.0, false, null));
        MessageWriter missing = new MessageWriter("forged", 64);
        missing.writeString("no.such.Record");
        missing.writeInt(0);
        assertThatThrownBy(() -> Codec.decode((byte) 'R', missing.toByteArray()))
                .isInstanceOf(ClassNotFoundException.class);
    }

    @Test
    void aCorruptMapIsAnIOException() {
        byte[] body = Codec.encode(new java.util.HashMap<>(Map.of("k", 1))).body();
        assertThatThrownBy(() -> Codec.decode((byte) 'M', java.util.Arrays.copyOf(body, body.length - 1)))
                .isInstanceOf(IOException.class);
        byte[] tooMany = body.clone();
        tooMany[3] = 100; // the count
        assertThatThrownBy(() -> Codec.decode((byte) 'M', tooMany)).isInstanceOf(IOException.class);
        byte[] badType = body.clone();
        badType[4] = 'X';
        assertThatThrownBy(() -> Codec.decode((byte) 'M', badType)).isInstanceOf(IOException.class)
                .hasMessageContaining("corrupt map");
        byte[] trailing = java.util.Arrays.copyOf(body, body.length + 1);
        assertThatThrownBy(() -> Codec.decode((byte) 'M', trailing)).isInstanceOf(IOException.class)
                .hasMessageContaining("left over");
    }

    @Test
    void nullHasNoBody() throws Exception {
        assertThat(Codec.encode(null).body()).isEmpty();
        assertThat(roundTrip(null)).isNull();
    }

    @Test
    void boxedPrimitivesRoundTripAtTheirBoundaries() throws Exception {
        for (int v : new int[] {0, 1, -1, Integer.MIN_VALUE, Integer.MAX_VALUE, 0x80, 0xff, 0x100}) {
            assertThat(roundTrip(v)).isEqualTo(v);
        }
        for (long v : new long[] {0, 1, -1, Long.MIN_VALUE, Long.MAX_VALUE, 0xffffffffL, 1L << 32}) {
            assertThat(roundTrip(v)).isEqualTo(v);
        }
        for (double v : new double[] {0.0, -0.0, 1.5, Double.MIN_VALUE, Double.MAX_VALUE,
            Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            assertThat(roundTrip(v)).isEqualTo(v);
        }
        assertThat((Double) roundTrip(Double.NaN)).isNaN();
        assertThat(Double.doubleToRawLongBits((Double) roundTrip(-0.0))).isEqualTo(Double.doubleToRawLongBits(-0.0));
        assertThat(roundTrip(true)).isEqualTo(true);
        assertThat(roundTrip(false)).isEqualTo(false);
    }

    @Test
    void numbersAreBigEndian() {
        assertThat(Codec.encode(0x01020304).body()).containsExactly(1, 2, 3, 4);
        assertThat(Codec.encode(0x0102030405060708L).body()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
        assertThat(Codec.encode(-2).body()).containsExactly(0xff, 0xff, 0xff, 0xfe);
        assertThat(Codec.encode(1.0).body())
                .isEqualTo(ByteBuffer.allocate(8).putLong(Double.doubleToRawLongBits(1.0)).array());
        assertThat(Codec.encode(true).body()).containsExactly(1);
        assertThat(Codec.encode(false).body()).containsExactly(0);
        assertThat(Codec.encode(new int[] {1, -1}).body()).containsExactly(0, 0, 0, 1, 0xff, 0xff, 0xff, 0xff);
        assertThat(Codec.encode(new long[] {2}).body()).containsExactly(0, 0, 0, 0, 0, 0, 0, 2);
        assertThat(Codec.encode(new double[] {1.0}).body())
                .isEqualTo(ByteBuffer.allocate(8).putDouble(1.0).array());
    }

    @Test
    void stringsAreUtf8ToTheEnd() throws Exception {
        for (String s : new String[] {"", "a", "héllo", "日本語", "\uD83D\uDE00 surrogate pair", "\0nul"}) {
            assertThat(Codec.encode(s).body()).isEqualTo(s.getBytes(StandardCharsets.UTF_8));
            assertThat(roundTrip(s)).isEqualTo(s);
        }
    }

    @Test
    void arraysRoundTripEmptyAndFull() throws Exception {
        byte[] bytes = {0, 1, -1, 127, -128};
        assertThat(Codec.encode(bytes).body()).as("a byte[] is not copied").isSameAs(bytes);
        assertThat((byte[]) roundTrip(bytes)).containsExactly(bytes);
        assertThat((byte[]) roundTrip(new byte[0])).isEmpty();
        int[] ints = {0, Integer.MIN_VALUE, Integer.MAX_VALUE, -1};
        assertThat((int[]) roundTrip(ints)).containsExactly(ints);
        assertThat((int[]) roundTrip(new int[0])).isEmpty();
        long[] longs = {0, Long.MIN_VALUE, Long.MAX_VALUE, -1};
        assertThat((long[]) roundTrip(longs)).containsExactly(longs);
        assertThat((long[]) roundTrip(new long[0])).isEmpty();
        double[] doubles = {0, -0.0, Double.MAX_VALUE, Double.NEGATIVE_INFINITY};
        assertThat((double[]) roundTrip(doubles)).containsExactly(doubles);
        assertThat((double[]) roundTrip(new double[0])).isEmpty();
        int[] big = new int[100_000];
        for (int i = 0; i < big.length; i++) {
            big[i] = i * 31;
        }
        assertThat(Codec.encode(big).body()).hasSize(400_000);
        assertThat((int[]) roundTrip(big)).containsExactly(big);
    }

    record Point(int x, String label) implements Serializable {
    }

    @Test
    void anythingElseIsJdkSerialized() throws Exception {
        assertThat(roundTrip(new Point(3, "p"))).isEqualTo(new Point(3, "p"));
        assertThat(roundTrip(List.of(1, "two", 3.0))).isEqualTo(List.of(1, "two", 3.0));
        assertThat(roundTrip(Map.of("k", List.of()))).isEqualTo(Map.of("k", List.of()));
        Object[] mixed = {null, 1, "x"};
        assertThat((Object[]) roundTrip(mixed)).containsExactly(mixed);
    }

    @Test
    void aValueThatCannotBeSerializedIsRefusedByName() {
        class Opaque {
        }
        assertThatThrownBy(() -> Codec.encode(new Opaque())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Opaque");
    }

    @Test
    void corruptBodiesAndUnknownTagsAreIoErrors() {
        assertThatThrownBy(() -> Codec.decode((byte) 'I', new byte[3])).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> Codec.decode((byte) 'I', new byte[5])).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> Codec.decode((byte) 'J', new byte[7])).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> Codec.decode((byte) 'D', new byte[9])).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> Codec.decode((byte) '?', new byte[0])).isInstanceOf(IOException.class)
                .hasMessageContaining("unknown");
    }

    @Test
    void theLimitIsCheckedOnTheLengthBeforeAnythingIsAllocated() {
        int max = MessageLimit.bytes() - 1; // one byte of the limit is the tag's
        Codec.checkBody(max, 1, "a byte[]");
        assertThatThrownBy(() -> Codec.checkBody(max + 1, 1, "a byte[]")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("message limit");
        Codec.checkBody(max / 8, 8, "a long[]");
        assertThatThrownBy(() -> Codec.checkBody(max / 8 + 1, 8, "a long[]"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Codec.checkBody(Integer.MAX_VALUE, 8, "a long[]"))
                .as("no int overflow").isInstanceOf(IllegalArgumentException.class);
        Codec.checkString("short");
    }

    @Test
    void joinedPutsTheTagFirst() {
        assertThat(Codec.joined((byte) 'S', new byte[] {1, 2})).containsExactly('S', 1, 2);
        assertThat(Codec.joined((byte) 'N', new byte[0])).containsExactly('N');
    }
}
