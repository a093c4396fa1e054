package org.multiprocessing4j.internal.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.internal.codec.MessageReader;

/** The values of a pool's messages both ways, and the bytes PoolWire promises for them. */
class PoolWireTest {

    private static byte[] valuesBytes(List<?> values) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            PoolWire.writeValues(out, values);
        }
        return bytes.toByteArray();
    }

    private static List<Object> readValues(byte[] bytes) throws Exception {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
        List<Object> out = PoolWire.readValues(in);
        assertThat(in.available()).as("everything written is read, nothing more").isZero();
        return out;
    }

    private static List<Object> roundTrip(List<?> values) throws Exception {
        return readValues(valuesBytes(values));
    }

    @Test
    void aChunkOfIntegersIsAPlainBigEndianArray() throws Exception {
        List<Integer> ints = List.of(1, -1, Integer.MAX_VALUE, Integer.MIN_VALUE);
        byte[] bytes = valuesBytes(ints);
        ByteBuffer expected = ByteBuffer.allocate(5 + 16).put((byte) 'I').putInt(4);
        ints.forEach(expected::putInt);
        assertThat(bytes).isEqualTo(expected.array());
        assertThat(roundTrip(ints)).isEqualTo(ints);
    }

    @Test
    void aChunkOfLongsOrDoublesIsAPlainArrayOfEightByteElements() throws Exception {
        List<Long> longs = List.of(0L, Long.MAX_VALUE, Long.MIN_VALUE);
        ByteBuffer expected = ByteBuffer.allocate(5 + 24).put((byte) 'J').putInt(3);
        longs.forEach(expected::putLong);
        assertThat(valuesBytes(longs)).isEqualTo(expected.array());
        assertThat(roundTrip(longs)).isEqualTo(longs);

        List<Double> doubles = List.of(0.5, -0.0, Double.NaN, Double.NEGATIVE_INFINITY);
        expected = ByteBuffer.allocate(5 + 32).put((byte) 'D').putInt(4);
        doubles.forEach(expected::putDouble);
        assertThat(valuesBytes(doubles)).isEqualTo(expected.array());
        List<Object> back = roundTrip(doubles);
        assertThat(back).hasSize(4);
        for (int i = 0; i < 4; i++) {
            assertThat(Double.doubleToRawLongBits((Double) back.get(i)))
                    .isEqualTo(Double.doubleToRawLongBits(doubles.get(i)));
        }
    }

    @Test
    void mixedValuesAndNullsGoValueByValueWithTheCodecsTagAndALength() throws Exception {
        List<Object> mixed = Arrays.asList(1, null, "two", 3L);
        byte[] bytes = valuesBytes(mixed);
        ByteBuffer expected = ByteBuffer.allocate(bytes.length).put((byte) 'V').putInt(4)
                .put((byte) 'I').putInt(4).putInt(1)
                .put((byte) 'N').putInt(0)
                .put((byte) 'S').putInt(3).put("two".getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .put((byte) 'J').putInt(8).putLong(3L);
        assertThat(expected.position()).isEqualTo(bytes.length);
        assertThat(bytes).isEqualTo(expected.array());
        assertThat(roundTrip(mixed)).isEqualTo(mixed);

        List<Integer> withNull = Arrays.asList(1, null, 2);
        assertThat(valuesBytes(withNull)[0]).as("a null spoils a chunk of Integers").isEqualTo((byte) 'V');
        assertThat(roundTrip(withNull)).isEqualTo(withNull);
        List<Object> nulls = Arrays.asList(null, null);
        assertThat(roundTrip(nulls)).isEqualTo(nulls);
    }

    @Test
    void emptyAndSingleAndLargeChunksRoundTrip() throws Exception {
        assertThat(valuesBytes(List.of())).containsExactly('V', 0, 0, 0, 0);
        assertThat(roundTrip(List.of())).isEmpty();
        assertThat(roundTrip(List.of(7))).containsExactly(7);
        assertThat(roundTrip(List.of("only"))).containsExactly("only");
        List<Integer> many = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            many.add(i * 7 - 50_000);
        }
        assertThat(valuesBytes(many)).hasSize(5 + 4 * many.size());
        assertThat(roundTrip(many)).isEqualTo(many);
    }

    @Test
    void otherValuesRoundTripThroughTheCodec() throws Exception {
        List<Object> values = List.of(new int[] {1, 2}, List.of("a", 1), true, 2.5, new byte[0], "");
        List<Object> back = roundTrip(values);
        assertThat((int[]) back.get(0)).containsExactly(1, 2);
        assertThat(back.get(1)).isEqualTo(List.of("a", 1));
        assertThat(back.get(2)).isEqualTo(true);
        assertThat(back.get(3)).isEqualTo(2.5);
        assertThat((byte[]) back.get(4)).isEmpty();
        assertThat(back.get(5)).isEqualTo("");
    }

    @Test
    void oneValueIsTagLengthBody() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            PoolWire.writeValue(out, "hé");
            PoolWire.writeValue(out, null);
        }
        assertThat(bytes.toByteArray()).containsExactly('S', 0, 0, 0, 3, 'h', 0xc3, 0xa9, 'N', 0, 0, 0, 0);
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()));
        assertThat(PoolWire.readValue(in)).isEqualTo("hé");
        assertThat(PoolWire.readValue(in)).isNull();
        assertThat(in.available()).isZero();
    }

    @Test
    void aValueThatCannotBeSerializedIsRefusedByName() {
        class Opaque {
        }
        assertThatThrownBy(() -> valuesBytes(List.of(new Opaque()))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Opaque");
    }

    @Test
    void anUnknownKindOfValuesIsAnIoErrorAndATruncatedChunkIsEof() throws Exception {
        byte[] unknown = ByteBuffer.allocate(5).put((byte) '?').putInt(0).array();
        assertThatThrownBy(() -> readValues(unknown)).isInstanceOf(IOException.class).hasMessageContaining("unknown");
        byte[] whole = valuesBytes(List.of("a", "b"));
        byte[] cut = Arrays.copyOf(whole, whole.length - 1);
        assertThatThrownBy(() -> PoolWire.readValues(new DataInputStream(new ByteArrayInputStream(cut))))
                .isInstanceOf(java.io.EOFException.class);
    }

    @Test
    void theMessageKindsAreDistinct() {
        assertThat(List.of(PoolWire.DEFINE, PoolWire.MAP, PoolWire.CALL, PoolWire.QUIT, PoolWire.RESULT,
                PoolWire.ERROR)).doesNotHaveDuplicates();
    }

    @Test
    void aCallIsItsKindTheTaskIdAndTheCallableAsGiven() {
        byte[] callable = {1, 2, 3};
        assertThat(PoolWire.callMessage(0x0102030405060708L, callable))
                .containsExactly('C', 1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3);
        assertThat(PoolWire.callMessage(-1, new byte[0])).containsExactly('C', 255, 255, 255, 255, 255, 255, 255, 255);
    }

    @Test
    void aMapIsItsKindTheTaskIdTheFunctionIdAndTheValues() throws Exception {
        List<Integer> args = List.of(4, 5);
        byte[] message = PoolWire.mapMessage(9, 3, args);
        ByteBuffer expected = ByteBuffer.allocate(1 + 8 + 4).put((byte) 'M').putLong(9).putInt(3);
        assertThat(Arrays.copyOf(message, 13)).isEqualTo(expected.array());
        assertThat(readValues(Arrays.copyOfRange(message, 13, message.length))).isEqualTo(args);
        class Opaque {
        }
        assertThatThrownBy(() -> PoolWire.mapMessage(1, 1, List.of(new Opaque())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Opaque");
    }

    @Test
    void resultsAreTheirKindTheTaskIdAndTheValues() throws Exception {
        byte[] message = PoolWire.resultMessage(7, Arrays.asList("r", null));
        assertThat(Arrays.copyOf(message, 9)).isEqualTo(ByteBuffer.allocate(9).put((byte) 'R').putLong(7).array());
        assertThat(readValues(Arrays.copyOfRange(message, 9, message.length))).isEqualTo(Arrays.asList("r", null));
    }

    private static Throwable errorRoundTrip(long taskId, Throwable t) throws IOException {
        byte[] message = PoolWire.errorMessage(taskId, t);
        MessageReader in = new MessageReader("an error message", message);
        assertThat(in.readByte()).isEqualTo(PoolWire.ERROR);
        assertThat(in.readLong()).isEqualTo(taskId);
        return PoolWire.readError(in);
    }

    @Test
    void anExceptionTravelsAsItselfOrAsARemoteExceptionWithItsTypeMessageAndTrace() throws Exception {
        Throwable back = errorRoundTrip(5, new IllegalStateException("bad state"));
        assertThat(back).isInstanceOf(IllegalStateException.class).hasMessage("bad state");

        class Unserializable extends RuntimeException {
            private static final long serialVersionUID = 1L;
            @SuppressWarnings({"unused", "serial"})
            private final Object opaque = new Object();

            Unserializable() {
                super("cannot travel");
            }
        }
        Unserializable original = new Unserializable();
        back = errorRoundTrip(6, original);
        assertThat(back).isInstanceOf(org.multiprocessing4j.RemoteException.class).hasMessageContaining("cannot travel");
        org.multiprocessing4j.RemoteException remote = (org.multiprocessing4j.RemoteException) back;
        assertThat(remote.remoteType()).isEqualTo(Unserializable.class.getName());
        assertThat(remote.getStackTrace()).isEqualTo(original.getStackTrace());
    }

    @Test
    void anErrorWhoseBodyCannotBeReadIsARemoteExceptionFromItsTypeAndMessage() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF("com.example.Gone");
            out.writeUTF("");
            out.write(new byte[] {1, 2, 3});
        }
        Throwable back = PoolWire.readError(new MessageReader("an error message", bytes.toByteArray()));
        assertThat(back).isInstanceOf(org.multiprocessing4j.RemoteException.class);
        assertThat(((org.multiprocessing4j.RemoteException) back).remoteType()).isEqualTo("com.example.Gone");
    }

    @Test
    void theHelloTheQuitAndTheDefinitionsHead() {
        assertThat(PoolWire.helloMessage(0x01020304)).containsExactly(1, 2, 3, 4);
        assertThat(PoolWire.readHello(PoolWire.helloMessage(-7))).isEqualTo(-7);
        assertThat(PoolWire.quitMessage()).containsExactly('Q');
        ByteBuffer head = PoolWire.defineHead(0x0a0b0c0d);
        byte[] bytes = new byte[head.remaining()];
        head.get(bytes);
        assertThat(bytes).containsExactly('F', 0x0a, 0x0b, 0x0c, 0x0d);
    }
}
