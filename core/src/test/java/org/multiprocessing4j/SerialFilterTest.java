package org.multiprocessing4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputFilter;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.multiprocessing4j.drivers.SerialFilterDriver;
import org.multiprocessing4j.testing.JavaDriver;

/**
 * What a process deserializes passes a filter: the limits by default, the classes and limits of
 * {@code multiprocessing4j.serialFilter} (in the children too), and a filter set with
 * {@link Multiprocessing#setSerialFilter}. A rejected message fails its receive; the next one is read.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SerialFilterTest {

    /** A class the tests' filters reject. */
    record Forbidden(int n) implements Serializable {
    }

    /** An ordinary payload: a large array inside an object, and the like. */
    record Payload(byte[] bytes, long[] values, List<Integer> numbers, Map<String, Integer> map, Node chain)
            implements Serializable {
    }

    /** A linked list of its own, as deep as it is long. */
    record Node(int n, Node next) implements Serializable {
    }

    @Test
    void aClassRejectedByTheFilterSetInThisProcessFailsTheReceiveAndTheNextMessageArrives() {
        Multiprocessing.setSerialFilter(info -> info.serialClass() == Forbidden.class
                ? ObjectInputFilter.Status.REJECTED : ObjectInputFilter.Status.UNDECIDED);
        try (Pipe pipe = Pipe.open()) {
            Connection childEnd = pipe.right();
            Process child = new Process(() -> {
                childEnd.send(new Forbidden(1)); // the child has no such filter: it sends
                childEnd.send(List.of("next"));
            });
            child.start();
            Connection c = pipe.left();
            assertThatThrownBy(c::recv).isInstanceOf(ProcessError.class)
                    .hasMessageContaining("REJECTED")
                    .hasMessageContaining("class " + Forbidden.class.getName())
                    .hasMessageContaining("Multiprocessing.setSerialFilter");
            assertThat(c.recv()).isEqualTo(List.of("next"));
            child.join();
            assertThat(child.exitCode()).isZero();
        } finally {
            Multiprocessing.setSerialFilter(null);
        }
    }

    @Test
    void thePropertysFilterAppliesInTheParentAndInItsChildren() throws Exception {
        JavaDriver.Result r = JavaDriver.start(List.of(JavaDriver.java(),
                "-Dmultiprocessing4j.serialFilter=!" + SerialFilterDriver.Forbidden.class.getName() + ";maxdepth=50",
                "-cp", JavaDriver.testClassPath(), SerialFilterDriver.class.getName())).await(Duration.ofSeconds(60));
        assertThat(r.status()).as(r.toString()).isZero();
        String rejected = "class " + SerialFilterDriver.Forbidden.class.getName()
                + " is rejected by the filter multiprocessing4j.serialFilter=";
        assertThat(r.value("child")).as("the child inherited the filter").contains("REJECTED").contains(rejected);
        assertThat(r.value("parent")).contains("REJECTED").contains(rejected);
        assertThat(r.value("deep")).as("maxdepth lowered by the property")
                .contains("the object nests 51 deep, more than maxdepth=50")
                .contains("-Dmultiprocessing4j.serialFilter=maxdepth=N");
        assertThat(r.value("shallow")).isEqualTo("received an Object[]");
        assertThat(r.value("after")).isEqualTo("next");
        assertThat(r.value("exit")).isEqualTo("0");
    }

    @Test
    void theJvmWideFilterStillAppliesAndReachesTheChildren() throws Exception {
        JavaDriver.Result r = JavaDriver.start(List.of(JavaDriver.java(),
                "-Djdk.serialFilter=!" + SerialFilterDriver.Forbidden.class.getName() + ";maxdepth=50",
                "-cp", JavaDriver.testClassPath(), SerialFilterDriver.class.getName())).await(Duration.ofSeconds(60));
        assertThat(r.status()).as(r.toString()).isZero();
        String rejected = "class " + SerialFilterDriver.Forbidden.class.getName()
                + " is rejected by the JVM-wide filter (jdk.serialFilter)";
        assertThat(r.value("child")).as("the child inherited it").contains(rejected);
        assertThat(r.value("parent")).contains(rejected);
        assertThat(r.value("deep")).contains("is rejected by the JVM-wide filter (jdk.serialFilter)");
        assertThat(r.value("shallow")).isEqualTo("received an Object[]");
        assertThat(r.value("after")).isEqualTo("next");
    }

    @Test
    void forgedArrayLengthsAreRejectedWithoutAllocating() {
        try (Pipe pipe = Pipe.open()) {
            Connection childEnd = pipe.right();
            Process child = new Process(() -> {
                for (byte[] forged : List.of(forgedLongArray(), forgedObjectArray(), forgedArrayList())) {
                    sendSerialized(childEnd, forged);
                }
                childEnd.send("next");
            });
            child.start();
            Connection c = pipe.left();
            long start = System.nanoTime();
            for (String type : List.of("long", "java.lang.Object", "java.lang.Object")) {
                assertThatThrownBy(c::recv).isInstanceOf(ProcessError.class)
                        .hasMessageContaining("REJECTED")
                        .hasMessageContaining("an array of " + type + " claims 2147483647 elements");
            }
            assertThat(c.recv()).isEqualTo("next");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
            child.join();
            assertThat(child.exitCode()).isZero();
        }
    }

    @Test
    void nestingBeyondTheDepthLimitIsRejectedBeforeTheStackOverflows() {
        try (Pipe pipe = Pipe.open()) {
            Connection childEnd = pipe.right();
            Process child = new Process(() -> {
                sendSerialized(childEnd, forgedNesting(100_000));
                childEnd.send(SerialFilterDriver.nested(400));
                childEnd.send("next");
            });
            child.start();
            Connection c = pipe.left();
            assertThatThrownBy(c::recv).isInstanceOf(ProcessError.class)
                    .hasMessageContaining("REJECTED")
                    .hasMessageContaining("the object nests 501 deep, more than maxdepth=500");
            assertThat(c.recv()).as("deep-ish is fine").isInstanceOf(Object[].class);
            assertThat(c.recv()).isEqualTo("next");
            child.join();
            assertThat(child.exitCode()).isZero();
        }
    }

    @Test
    void ordinaryLargePayloadsPassTheDefaultLimits() {
        try (Queue<Object> q = new Queue<>()) {
            Process child = new Process(() -> {
                byte[] bytes = new byte[100 << 20];
                bytes[bytes.length - 1] = 7;
                long[] values = new long[1 << 20];
                values[values.length - 1] = 7;
                List<Integer> numbers = new ArrayList<>();
                for (int i = 0; i < 1_000_000; i++) {
                    numbers.add(i);
                }
                Map<String, Integer> map = new HashMap<>();
                for (int i = 0; i < 10_000; i++) {
                    map.put("k" + i, i);
                }
                Node chain = null;
                for (int i = 0; i < 300; i++) {
                    chain = new Node(i, chain);
                }
                q.put(new Payload(bytes, values, numbers, map, chain));
                Map<Object, Object> identity = new IdentityHashMap<>();
                Integer same = 1;
                for (int i = 0; i < 10_000; i++) {
                    identity.put(new Object[] {same}, same);
                }
                HashMap<Object, Object> nulls = new HashMap<>();
                nulls.put(null, null);
                q.put(List.of(identity.size(), identity, nulls, new HashSet<>(List.of(1, 2, 3))));
            });
            child.start();
            Payload p = (Payload) q.get(Duration.ofSeconds(60));
            assertThat(p.bytes()).hasSize(100 << 20).endsWith((byte) 7);
            assertThat(p.values()).hasSize(1 << 20).endsWith(7L);
            assertThat(p.numbers()).hasSize(1_000_000).endsWith(999_999);
            assertThat(p.map()).hasSize(10_000).containsEntry("k9999", 9_999);
            assertThat(p.chain().n()).isEqualTo(299);
            List<?> maps = (List<?>) q.get(Duration.ofSeconds(60));
            assertThat(maps.get(0)).isEqualTo(10_000);
            assertThat((Map<?, ?>) maps.get(1)).hasSize(10_000);
            assertThat((Map<?, ?>) maps.get(2)).containsEntry(null, null);
            child.join();
            assertThat(child.exitCode()).isZero();
        }
    }

    // ---- forged streams ----------------------------------------------------------------------------

    /** Sends {@code serialized} as an object message, as a peer that writes its own stream would. */
    static void sendSerialized(Connection c, byte[] serialized) {
        try {
            c.transport().sendObject((byte) 'X', serialized, 0, serialized.length);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] serialize(Object o) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** A {@code long[]} of one element whose length says 2^31-1. */
    static byte[] forgedLongArray() {
        byte[] b = serialize(new long[] {1});
        return patchInt(b, b.length - 12, 1, Integer.MAX_VALUE);
    }

    /** An {@code Object[]} of one null whose length says 2^31-1. */
    static byte[] forgedObjectArray() {
        byte[] b = serialize(new Object[] {null});
        return patchInt(b, b.length - 5, 1, Integer.MAX_VALUE);
    }

    /** An {@code ArrayList} of three nulls whose size says 2^31-1. */
    static byte[] forgedArrayList() {
        byte[] b = serialize(new ArrayList<>(Arrays.asList(null, null, null)));
        // the field size, then the capacity in a block of data, then three TC_NULL and TC_ENDBLOCKDATA
        return patchInt(b, b.length - 14, 3, Integer.MAX_VALUE);
    }

    /** Object arrays in object arrays, {@code depth} deep, written by hand (writing it would overflow). */
    static byte[] forgedNesting(int depth) {
        byte[] two = serialize(new Object[] {new Object[] {null}});
        // the inner array: TC_ARRAY, a reference to the class descriptor, the length 1; then TC_NULL
        byte[] inner = Arrays.copyOfRange(two, two.length - 11, two.length - 1);
        if (inner[0] != 0x75 || inner[1] != 0x71) {
            throw new IllegalStateException("not an array that refers to its class: " + Arrays.toString(inner));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(two, 0, two.length - 11);
        for (int i = 1; i < depth; i++) {
            out.write(inner, 0, inner.length);
        }
        out.write(0x70);
        return out.toByteArray();
    }

    private static byte[] patchInt(byte[] b, int at, int expected, int value) {
        int was = (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
        if (was != expected) {
            throw new IllegalStateException("not the length at " + at + ": " + was);
        }
        b[at] = (byte) (value >>> 24);
        b[at + 1] = (byte) (value >>> 16);
        b[at + 2] = (byte) (value >>> 8);
        b[at + 3] = (byte) value;
        return b;
    }
}
