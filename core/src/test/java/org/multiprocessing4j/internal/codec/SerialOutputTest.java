package org.multiprocessing4j.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The library's object stream writes what the JDK's reads: arrays of every kind, nested, inside records
 * and captured by lambdas, read back by a plain {@link ObjectInputStream}; only an array class's
 * {@code serialVersionUID}, which no reader compares, differs from the JDK's stream.
 */
class SerialOutputTest {

    record Holder(int[] ints, String[][] grid, List<long[]> longs, Object[] mixed) implements Serializable {
    }

    interface SerialSupplier<T> extends Supplier<T>, Serializable {
    }

    private static Object roundTrip(Object value) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new SerialOutput(bytes)) {
            out.writeObject(value);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return in.readObject();
        }
    }

    @Test
    void arraysOfEveryKindComeBackEqual() throws Exception {
        Object[] values = {new int[] {1, -2}, new byte[] {7}, new double[] {0.5}, new boolean[] {true},
            new char[] {'x'}, new String[] {"a", null}, new int[][] {{1}, {2, 3}}, new Object[] {1, "b", new long[] {9}}};
        for (Object v : values) {
            assertThat(roundTrip(v)).isEqualTo(v);
        }
    }

    @Test
    void arraysInsideRecordsAndListsComeBack() throws Exception {
        Holder h = new Holder(new int[] {4, 5}, new String[][] {{"p"}, {"q", "r"}}, List.of(new long[] {6L}),
                new Object[] {new int[] {8}, "s"});
        Holder back = (Holder) roundTrip(h);
        assertThat(back.ints()).containsExactly(4, 5);
        assertThat(Arrays.deepEquals(back.grid(), h.grid())).isTrue();
        assertThat(back.longs().get(0)).containsExactly(6L);
        assertThat(Arrays.deepEquals(back.mixed(), h.mixed())).isTrue();
    }

    @Test
    void aLambdaCapturingArraysComesBackAndRuns() throws Exception {
        int[] numbers = {1, 2, 3};
        String[] words = {"x", "y"};
        SerialSupplier<String> s = () -> words[1] + numbers.length;
        @SuppressWarnings("unchecked")
        SerialSupplier<String> back = (SerialSupplier<String>) roundTrip(s);
        assertThat(back.get()).isEqualTo("y3");
    }

    @Test
    void anArrayClassIsWrittenWithoutItsHashedSerialVersionUid() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new SerialOutput(bytes)) {
            out.writeObject(new int[] {42});
        }
        byte[] b = bytes.toByteArray();
        // header (4), TC_ARRAY, TC_CLASSDESC, the name "[I" as modified UTF-8 (2 + 2), then the uid: 8 bytes
        int uid = 4 + 1 + 1 + 2 + 2;
        for (int i = uid; i < uid + 8; i++) {
            assertThat(b[i]).as("byte %d of the uid", i - uid).isZero();
        }
    }
}
