package org.multiprocessing4j;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.multiprocessing4j.ValueTest.runAll;
import static org.multiprocessing4j.ValueTest.runTogether;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ArrayTest {

    @Test
    void childrenFillTheirPartsAndTheParentReadsThem() {
        int parts = 4;
        int n = 100;
        try (SharedIntArray squares = Array.ofInts(n); SharedDoubleArray halves = Array.rawDoubles(n)) {
            List<Process> ps = new ArrayList<>();
            for (int k = 0; k < parts; k++) {
                int from = k * n / parts;
                int to = (k + 1) * n / parts;
                Process p = new Process(() -> {
                    for (int i = from; i < to; i++) {
                        squares.set(i, i * i);
                        halves.set(i, i / 2.0);
                    }
                });
                ps.add(p);
                p.start();
            }
            for (Process p : ps) {
                p.join();
                assertThat(p.exitCode()).isZero();
            }
            assertThat(squares.toArray()).containsExactly(IntStream.range(0, n).map(i -> i * i).toArray());
            assertThat(halves.toArray()).containsExactly(IntStream.range(0, n).mapToDouble(i -> i / 2.0).toArray());
        }
    }

    @Test
    void atomicElementUpdatesFromFourProcessesAreExact() {
        try (SharedIntArray ints = Array.rawInts(2); SharedLongArray longs = Array.rawLongs(2);
                SharedByteArray bytes = Array.rawBytes(5); SharedIntArray ids = Array.rawInts(1)) {
            runTogether(4, () -> {
                int me = ids.getAndAdd(0, 1); // 0..3: which byte is this process's own
                for (int k = 0; k < 1_000; k++) {
                    ints.incrementAndGet(0);
                    ints.addAndGet(1, -2);
                    longs.addAndGet(1, 1L << 33);
                    bytes.incrementAndGet(me); // beside three neighbours in the same four bytes, written at once
                    if (k < 100) {
                        bytes.addAndGet(4, 1); // shared by all: 400 wraps to -112
                    }
                }
            });
            assertThat(ints.toArray()).containsExactly(4_000, -8_000);
            assertThat(longs.toArray()).containsExactly(0L, 4_000L << 33);
            assertThat(bytes.toArray()).containsExactly((byte) 1_000, (byte) 1_000, (byte) 1_000, (byte) 1_000, (byte) 400);
        }
    }

    @Test
    void doubleElementAdditionsFromTwoProcessesAreExact() {
        try (SharedDoubleArray d = Array.ofDoubles(3)) {
            runTogether(2, () -> {
                for (int k = 0; k < 10_000; k++) {
                    d.addAndGet(1, 0.25);
                }
            });
            assertThat(d.toArray()).containsExactly(0.0, 5_000.0, 0.0);
        }
    }

    @Test
    void updatesOfSeveralElementsUnderTheLockAreNeverLost() {
        try (SharedLongArray a = Array.ofLongs(2)) {
            runTogether(4, () -> {
                for (int k = 0; k < 5_000; k++) {
                    a.getLock().acquire();
                    try {
                        a.set(0, a.get(0) + 1);
                        a.set(1, a.get(1) + a.get(0));
                    } finally {
                        a.getLock().release();
                    }
                }
            });
            assertThat(a.get(0)).isEqualTo(20_000);
            assertThat(a.get(1)).isEqualTo(20_000L * 20_001 / 2);
        }
    }

    @Test
    void anArraySentThroughAQueueIsTheSameArrayInTheChild() {
        Queue<Object> in = new Queue<>();
        try (SharedByteArray text = Array.ofBytes("hello".getBytes(UTF_8))) {
            Process p = new Process(() -> {
                SharedByteArray got = (SharedByteArray) in.get();
                got.set(0, (byte) 'j');
            });
            p.start();
            in.put(text);
            p.join();
            assertThat(p.exitCode()).isZero();
            assertThat(new String(text.toArray(), UTF_8)).isEqualTo("jello");
        }
    }

    @Test
    void aSingleIntArgumentIsTheLengthAndAnythingElseTheValues() {
        try (SharedIntArray length = Array.ofInts(3); SharedIntArray two = Array.ofInts(3, 4);
                SharedIntArray none = Array.ofInts(); SharedIntArray one = Array.ofInts(new int[] {3});
                SharedLongArray longLength = Array.ofLongs(3); SharedLongArray oneLong = Array.ofLongs(3L);
                SharedDoubleArray doubleLength = Array.rawDoubles(3); SharedDoubleArray oneDouble = Array.rawDoubles(3.0);
                SharedByteArray byteLength = Array.ofBytes((byte) 3); SharedByteArray twoBytes = Array.rawBytes((byte) 1, (byte) 2)) {
            assertThat(length.toArray()).containsExactly(0, 0, 0);
            assertThat(two.toArray()).containsExactly(3, 4);
            assertThat(none.length()).isZero();
            assertThat(one.toArray()).containsExactly(3);
            assertThat(longLength.toArray()).containsExactly(0L, 0L, 0L);
            assertThat(oneLong.toArray()).containsExactly(3L);
            assertThat(doubleLength.toArray()).containsExactly(0.0, 0.0, 0.0);
            assertThat(oneDouble.toArray()).containsExactly(3.0);
            assertThat(byteLength.toArray()).as("a single byte is a length too").containsExactly(0, 0, 0);
            assertThat(twoBytes.toArray()).containsExactly(1, 2);
        }
    }

    @Test
    void initialValuesAreCopiedAndToStringShowsThem() {
        int[] source = {1, 4, 9};
        try (SharedIntArray a = Array.ofInts(source); SharedLongArray l = Array.rawLongs(-1L, Long.MAX_VALUE);
                SharedDoubleArray d = Array.ofDoubles(0.5, -0.0); SharedByteArray b = Array.ofBytes((byte) -1, (byte) 127);
                SharedIntArray big = Array.rawInts(1_000); SharedIntArray empty = Array.rawInts(0)) {
            source[0] = 100;
            assertThat(a.get(0)).isEqualTo(1);
            assertThat(a).hasToString("SharedIntArray[1, 4, 9]");
            assertThat(l).hasToString("SharedLongArray[-1, " + Long.MAX_VALUE + "]");
            assertThat(d).hasToString("SharedDoubleArray[0.5, -0.0]");
            assertThat(b).hasToString("SharedByteArray[-1, 127]");
            assertThat(empty).hasToString("SharedIntArray[]");
            assertThat(big.toString()).startsWith("SharedIntArray[0, 0, ").endsWith(", 0, ...] (1000 elements)");
        }
    }

    @Test
    void indexesAreCheckedAndLengthsTooLargeOrNegativeRefused() {
        try (SharedIntArray a = Array.ofInts(3); SharedByteArray b = Array.rawBytes(3); SharedDoubleArray d = Array.rawDoubles(1);
                SharedLongArray empty = Array.rawLongs(0)) {
            assertThatThrownBy(() -> a.get(3)).isInstanceOf(IndexOutOfBoundsException.class)
                    .hasMessage("Index 3 out of bounds for length 3");
            assertThatThrownBy(() -> a.set(-1, 0)).isInstanceOf(IndexOutOfBoundsException.class)
                    .hasMessage("Index -1 out of bounds for length 3");
            assertThatThrownBy(() -> a.incrementAndGet(3)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> a.compareAndSet(5, 0, 1)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> b.set(3, (byte) 1)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> b.addAndGet(3, 1)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> d.addAndGet(1, 1.0)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> empty.get(0)).isInstanceOf(IndexOutOfBoundsException.class)
                    .hasMessage("Index 0 out of bounds for length 0");
            assertThat(empty.toArray()).isEmpty();
        }
        assertThatThrownBy(() -> Array.ofInts(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a SharedIntArray cannot have a negative length: -1");
        assertThatThrownBy(() -> Array.rawLongs(Integer.MAX_VALUE)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at most");
        assertThatThrownBy(() -> Array.ofInts((int[]) null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void atomicMethodsInOneProcess() {
        try (SharedIntArray a = Array.rawInts(2); SharedByteArray b = Array.rawBytes(6); SharedDoubleArray d = Array.rawDoubles(1)) {
            assertThat(a.addAndGet(1, 5)).isEqualTo(5);
            assertThat(a.getAndAdd(1, 1)).isEqualTo(5);
            assertThat(a.decrementAndGet(0)).isEqualTo(-1);
            assertThat(a.compareAndSet(1, 5, 7)).isFalse();
            assertThat(a.compareAndSet(1, 6, 7)).isTrue();
            assertThat(a.getAndSet(1, 8)).isEqualTo(7);
            assertThat(a.toArray()).containsExactly(-1, 8);

            b.set(5, (byte) 127);
            assertThat(b.incrementAndGet(5)).isEqualTo((byte) -128); // wraps like byte arithmetic
            assertThat(b.decrementAndGet(5)).isEqualTo((byte) 127);
            assertThat(b.addAndGet(4, 300)).isEqualTo((byte) 44);
            assertThat(b.getAndAdd(4, -44)).isEqualTo((byte) 44);
            assertThat(b.compareAndSet(3, (byte) 1, (byte) 2)).isFalse();
            assertThat(b.compareAndSet(3, (byte) 0, (byte) -2)).isTrue();
            assertThat(b.getAndSet(2, (byte) 9)).isZero();
            assertThat(b.toArray()).containsExactly(0, 0, 9, -2, 0, 127); // the neighbours untouched

            assertThat(d.compareAndSet(0, -0.0, 1.0)).as("by bits").isFalse();
            assertThat(d.compareAndSet(0, 0.0, 1.0)).isTrue();
            assertThat(d.getAndAdd(0, 1.5)).isEqualTo(1.0);
            assertThat(d.get(0)).isEqualTo(2.5);
        }
    }

    @Test
    void rawArraysHaveNoLock() {
        try (SharedIntArray i = Array.rawInts(1); SharedLongArray l = Array.rawLongs(1); SharedDoubleArray d = Array.rawDoubles(1);
                SharedByteArray b = Array.rawBytes(1); SharedIntArray locked = Array.ofInts(1)) {
            assertThatThrownBy(i::getLock).isInstanceOf(IllegalStateException.class)
                    .hasMessage("this SharedIntArray is raw (made by Array.rawInts): it has no lock");
            assertThatThrownBy(l::getLock).isInstanceOf(IllegalStateException.class).hasMessageContaining("raw");
            assertThatThrownBy(d::getLock).isInstanceOf(IllegalStateException.class).hasMessageContaining("raw");
            assertThatThrownBy(b::getLock).isInstanceOf(IllegalStateException.class).hasMessageContaining("raw");
            assertThat(locked.getLock().isLocked()).isFalse();
            runAll(1, () -> {
                i.set(0, 1);
                b.set(0, (byte) 2);
            });
            assertThat(i.get(0)).isEqualTo(1);
            assertThat(b.get(0)).isEqualTo((byte) 2);
        }
    }

    @Test
    void aClosedArrayRefusesEverythingButCloseAndToString() {
        SharedIntArray a = Array.ofInts(1, 2);
        a.close();
        a.close();
        assertThat(a).hasToString("SharedIntArray(closed)");
        assertThatThrownBy(() -> a.get(0)).isInstanceOf(IllegalStateException.class).hasMessage("this SharedIntArray is closed");
        assertThatThrownBy(a::toArray).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(a::getLock).isInstanceOf(IllegalStateException.class);
        assertThat(a.length()).as("the length stays known").isEqualTo(2);
        Process p = new Process(() -> a.set(0, 1));
        assertThatThrownBy(p::start).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("this SharedIntArray is closed");

        SharedByteArray b = Array.rawBytes(1);
        b.close();
        assertThatThrownBy(() -> b.set(0, (byte) 1)).isInstanceOf(IllegalStateException.class)
                .hasMessage("this SharedByteArray is closed");
    }
}
