package org.multiprocessing4j.internal.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.multiprocessing4j.internal.codec.Codec;
import org.multiprocessing4j.internal.wire.FrameLayout;

/**
 * A feeder's ring: where it wraps, frames laid out across the ring's end, header or body cut in two,
 * arrive whole and in order; it starts small and grows when puts outrun the socket, losing none of the
 * bytes not yet written. Over a real socket to this JVM's own queue server, so what is checked is what
 * the server read off the stream.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FeederRingTest {
    private static final int RING = Feeder.RING_MAX;
    private static final int FRAME_OVERHEAD = FrameLayout.HEADER_LENGTH + 1; // header and the codec's tag

    @Test
    void framesCutByTheRingsEndArriveWholeAndInOrder() throws Exception {
        QueueServer server = QueueServer.get();
        long id = server.create(0, false);
        ServedQueue queue = QueueServer.local(server.address(), id);
        Feeder feeder = Feeder.unshared(server.address(), id, RING); // the largest ring from the start: it never moves

        List<Integer> sizes = new ArrayList<>();
        long offset = 0;
        // 1. up to 3 bytes before the ring's end: the next frame's header is cut in two
        offset = fill(sizes, offset, RING - 3);
        sizes.add(1000);
        offset += FRAME_OVERHEAD + 1000;
        // 2. up to 100 bytes before the end of the second lap: the next frame's body is cut in two
        offset = fill(sizes, offset, 2L * RING - 100);
        sizes.add(5000);
        offset += FRAME_OVERHEAD + 5000;
        // 3. a frame that ends exactly at the end of the third lap, then one at its start
        offset = fill(sizes, offset, 3L * RING - FRAME_OVERHEAD - 4096);
        sizes.add(4096);
        sizes.add(17);
        assertThat(offset + FRAME_OVERHEAD + 4096).isEqualTo(3L * RING);

        try {
            putAll(feeder, sizes);
            assertThat(feeder.ringLength()).isEqualTo(RING);
            assertArrivedAsPut(queue, sizes);
        } finally {
            feeder.close();
        }
    }

    @Test
    void aFeedersRingStartsSmall() throws Exception {
        QueueServer server = QueueServer.get();
        long id = server.create(0, false);
        Feeder feeder = Feeder.of(server.address(), id, false, false);
        feeder.put((byte) 'b', body(0, 100), false, -1);
        feeder.sync();

        assertThat(feeder.ringLength()).isEqualTo(Feeder.RING_MIN);
        assertThat(((Codec.Encoded) QueueServer.local(server.address(), id).take(0)).body()).isEqualTo(body(0, 100));
    }

    @Test
    void aRingThatGrowsKeepsEveryFrame() throws Exception {
        QueueServer server = QueueServer.get();
        long id = server.create(0, false);
        ServedQueue queue = QueueServer.local(server.address(), id);
        Feeder feeder = Feeder.unshared(server.address(), id, Feeder.RING_MIN);
        List<Integer> sizes = new ArrayList<>();
        for (int i = 0; i < 200; i++) { // some 20 MB, in frames of 1 byte to 150 KB, and two of 3 MB
            sizes.add(i % 100 == 99 ? 3_000_000 - i : 1 + (i * 7_919) % 150_000);
        }
        try {
            putAll(feeder, sizes);
            assertThat(feeder.ringLength()).as("a ring that held a frame of 3 MB").isEqualTo(Feeder.RING_MAX);
            assertArrivedAsPut(queue, sizes);
        } finally {
            feeder.close();
        }
    }

    @Test
    void aLargerRingHoldsEveryUnwrittenByteAtItsOffset() {
        byte[] ring = new byte[16];
        for (int k = 0; k < ring.length; k++) {
            ring[k] = (byte) (100 + k);
        }
        // [28, 42) wraps at stream byte 32 in both: from offset 12 of the ring of 16, from offset 28 of the one of 32
        byte[] grown = Feeder.relocated(ring, 28, 42, 32);
        for (long at = 28; at < 42; at++) {
            assertThat(grown[(int) (at % 32)]).as("stream byte %d", at).isEqualTo(ring[(int) (at % 16)]);
        }
        assertThat(grown[10]).as("a byte outside [28, 42)").isZero();
        assertThat(grown[27]).as("a byte outside [28, 42)").isZero();
        // [10, 26) wraps in the ring of 16 only: one run in the ring of 32
        byte[] unwrapped = Feeder.relocated(ring, 10, 26, 32);
        for (long at = 10; at < 26; at++) {
            assertThat(unwrapped[(int) at]).as("stream byte %d", at).isEqualTo(ring[(int) (at % 16)]);
        }
        // nothing to keep: an empty ring
        assertThat(Feeder.relocated(ring, 40, 40, 64)).isEqualTo(new byte[64]);
    }

    private static void putAll(Feeder feeder, List<Integer> sizes) throws InterruptedException {
        for (int i = 0; i < sizes.size(); i++) {
            feeder.put((byte) 'b', body(i, sizes.get(i)), false, -1);
        }
        feeder.sync();
    }

    private static void assertArrivedAsPut(ServedQueue queue, List<Integer> sizes) throws InterruptedException {
        assertThat(queue.size()).isEqualTo(sizes.size());
        for (int i = 0; i < sizes.size(); i++) {
            Codec.Encoded item = (Codec.Encoded) queue.take(0);
            assertThat(item.tag()).isEqualTo((byte) 'b');
            assertThat(Arrays.equals(item.body(), body(i, sizes.get(i))))
                    .as("item %d of %d bytes arrived as put (got %d bytes)", i, sizes.get(i), item.body().length).isTrue();
        }
    }

    /** Adds frames of varied sizes from {@code offset} until the stream is exactly at {@code target}. */
    private static long fill(List<Integer> sizes, long offset, long target) {
        int n = 0;
        while (target - offset > 200_000 + FRAME_OVERHEAD) {
            int size = 90_000 + 7_919 * (n++ % 13);
            sizes.add(size);
            offset += FRAME_OVERHEAD + size;
        }
        int last = (int) (target - offset - FRAME_OVERHEAD);
        sizes.add(last);
        return target;
    }

    /** Item {@code i}: its index, then a pattern that differs from every other item's. */
    private static byte[] body(int i, int size) {
        byte[] b = new byte[size];
        for (int k = 0; k < size; k++) {
            b[k] = (byte) (i * 31 + k * 7 + (k >>> 8));
        }
        if (size >= 4) {
            b[0] = (byte) (i >>> 24);
            b[1] = (byte) (i >>> 16);
            b[2] = (byte) (i >>> 8);
            b[3] = (byte) i;
        }
        return b;
    }
}
