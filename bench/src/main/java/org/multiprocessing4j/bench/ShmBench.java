package org.multiprocessing4j.bench;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;
import org.multiprocessing4j.Connection;
import org.multiprocessing4j.Pipe;
import org.multiprocessing4j.Process;
import org.multiprocessing4j.SharedMemory;

/**
 * {@code SharedMemory} of 100 MiB, the twin of {@code shm.py}: a child attaches by name and fills it in
 * 1 MiB slices, the parent checksums it and copies it out.
 *
 * <pre>
 *   java -cp multiprocessing4j-bench.jar org.multiprocessing4j.bench.ShmBench [--reps 5] [--mib 100] [--quick]
 * </pre>
 *
 * GB/s are 1e9 bytes per second, as in shm.py:
 * <ul>
 *   <li>{@code child_write}: the child's {@code put} of each 1 MiB slice (first touch of the pages, so it
 *       includes the page faults);</li>
 *   <li>{@code parent_crc32}: {@code java.util.zip.CRC32} over the parent's view of the segment (its first
 *       touch of the pages in its own mapping), checked against the expected value;</li>
 *   <li>{@code parent_memcpy}: the parent copies the segment into a pre-faulted {@code byte[]};</li>
 *   <li>{@code end_to_end}: create + start the child + its write + join + the checksum.</li>
 * </ul>
 */
public final class ShmBench {
    private static final int MIB = 1024 * 1024;

    private ShmBench() {
    }

    static byte[] pattern() {
        byte[] p = new byte[MIB];
        for (int i = 0; i < MIB; i++) {
            p[i] = (byte) i;
        }
        return p;
    }

    public static void main(String[] argv) throws Exception {
        Common.Args args = new Common.Args(argv, Set.of("quick"));
        boolean quick = args.flag("quick");
        int reps = args.getInt("reps", quick ? 2 : 5);
        int mib = args.getInt("mib", quick ? 20 : 100);
        int size = mib * MIB;
        byte[] pattern = pattern();
        CRC32 expect = new CRC32();
        for (int i = 0; i < mib; i++) {
            expect.update(pattern);
        }
        byte[] sink = new byte[size];
        java.util.Arrays.fill(sink, (byte) 1); // pre-faulted destination for the copy
        List<Double> create = new ArrayList<>();
        List<Double> write = new ArrayList<>();
        List<Double> crc = new ArrayList<>();
        List<Double> copy = new ArrayList<>();
        List<Double> e2e = new ArrayList<>();
        for (int r = -1; r < reps; r++) { // rep -1: unmeasured, for the parent's JIT
            long t0 = System.nanoTime();
            SharedMemory shm = SharedMemory.create(size);
            long t1 = System.nanoTime();
            Pipe pipe = Pipe.open();
            Connection there = pipe.right();
            String name = shm.name();
            Process p = new Process(() -> {
                byte[] slice = pattern();
                try (SharedMemory mine = SharedMemory.attach(name)) {
                    ByteBuffer buf = mine.buffer();
                    long w0 = System.nanoTime();
                    for (int off = 0; off < size; off += MIB) {
                        buf.put(off, slice);
                    }
                    there.send((System.nanoTime() - w0) / 1e9);
                }
            });
            p.start();
            double wdt = pipe.left().recv(Double.class);
            p.join();
            long t2 = System.nanoTime();
            CRC32 c = new CRC32();
            c.update(shm.buffer());
            long t3 = System.nanoTime();
            if (c.getValue() != expect.getValue()) {
                throw new AssertionError("crc32 " + c.getValue() + ", expected " + expect.getValue());
            }
            long t4 = System.nanoTime();
            shm.buffer().get(0, sink);
            long t5 = System.nanoTime();
            shm.close();
            shm.unlink();
            pipe.left().close();
            there.close();
            p.close();
            if (r < 0) {
                continue;
            }
            create.add((t1 - t0) / 1e6);
            write.add(size / wdt / 1e9);
            crc.add(size / ((t3 - t2) / 1e9) / 1e9);
            copy.add(size / ((t5 - t4) / 1e9) / 1e9);
            e2e.add(size / ((t3 - t0) / 1e9) / 1e9);
            Common.log(String.format("rep%d: write %.2f GB/s crc32 %.2f GB/s memcpy %.2f GB/s e2e %.2f GB/s (%.0f ms)",
                    r, write.get(r), crc.get(r), copy.get(r), e2e.get(r), (t3 - t0) / 1e6));
        }
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("size_MiB", mib);
        results.put("create_ms", Common.summarize(create, 3));
        results.put("child_write_GB_per_s", Common.summarize(write, 2));
        results.put("parent_memcpy_read_GB_per_s", Common.summarize(copy, 2));
        results.put("parent_crc32_GB_per_s", Common.summarize(crc, 2));
        results.put("end_to_end_GB_per_s", Common.summarize(e2e, 2));
        results.put("end_to_end_ms", Common.summarize(e2e.stream().map(g -> size / g / 1e6).toList(), 1));
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("reps", reps);
        Common.emit("shm", extra, results);
    }
}
