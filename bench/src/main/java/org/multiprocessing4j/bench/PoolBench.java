package org.multiprocessing4j.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.multiprocessing4j.Context;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.Pool;

/**
 * {@code Pool(2).map} of a trivial task, the twin of {@code pool.py}'s Pool cases, and the CPU-bound
 * speed-up of {@code cpu.py}.
 *
 * <pre>
 *   java -cp multiprocessing4j-bench.jar org.multiprocessing4j.bench.PoolBench [--reps 5] [--quick]
 * </pre>
 *
 * <ul>
 *   <li>{@code pool_map_100k_default} and {@code pool_map_20k_chunk1}: {@code map(x -> x * 2, 0..n-1)},
 *       Python's default chunking (12,500 here) or {@code chunksize=1}. "warm": the pool is started and
 *       used once (a map of 1,000) before the clock; "total": the clock includes {@code new Pool(2)};
 *       both exclude the pool's close, as {@code pool.py} does. Every rep makes a new pool, so new
 *       worker JVMs.</li>
 *   <li>{@code pool_map_100k_fresh_program}: what a user's first program sees. Each rep is a new JVM (this
 *       class with {@code --fresh-program}) that times, from its {@code main}, {@code new Pool(2)} and the
 *       map of 100,000, default chunks: its JIT and class loading are as cold as a user's, where
 *       {@code pool_map_100k_default_total} runs in this JVM, after a first pool.</li>
 *   <li>{@code cpu}: 8 × {@code sum(i*i for i in 0..1,999,999)} serially in this JVM, then with
 *       {@code Pool(2).map(chunksize=1)}: the speed-up (serial / pool, map only and with pool
 *       creation). The work is {@code long} arithmetic, as Python's is exact integers. The JIT runs it
 *       ~100x faster than CPython, so {@code cpu} (cpu.py's size) is over in milliseconds and the pool
 *       cannot pay for itself; {@code cpu_200m} makes each job 100x bigger, as long as CPython's. A new
 *       worker runs the loop through on-stack replacement, about 2x slower than compiled code, so the
 *       speed-up of a new pool is low; {@code speedup_warm_workers} is a second map on the same pool.</li>
 *   <li>{@code forkserver_*}: the same maps on {@code getContext("forkserver").pool(2)}, whose workers are
 *       spare JVMs booted and warmed in advance; each rep waits 1.5 s first, so that the spares the last
 *       pool took have been replaced.</li>
 *   <li>{@code apply_rtt_us}: the median {@code apply} round trip on a warm {@code Pool(2)} (twin of
 *       {@code bench/python/apply_rtt.py}).</li>
 * </ul>
 */
public final class PoolBench {
    private static final int CPU_N = 2_000_000;
    /** The JIT runs cpu.py's loop ~100x faster than CPython; this makes the serial run take as long. */
    private static final int CPU_N_SCALED = 200_000_000;
    private static final int CPU_JOBS = 8;

    private PoolBench() {
    }

    public static void main(String[] argv) {
        Common.Args args = new Common.Args(argv, Set.of("quick", "fresh-program"));
        if (args.flag("fresh-program")) {
            System.out.println(freshProgramOnce());
            return;
        }
        boolean quick = args.flag("quick");
        int reps = args.getInt("reps", quick ? 2 : 5);
        Map<String, Object> results = new LinkedHashMap<>();
        mapCase(results, null, "pool_map_100k_default", 100_000, 0, reps);
        results.put("pool_map_100k_fresh_program", freshPrograms(100_000, reps));
        mapCase(results, null, "pool_map_20k_chunk1", 20_000, 1, reps);
        Context forkserver = Multiprocessing.getContext("forkserver"); // its spares start now
        mapCase(results, forkserver, "forkserver_pool_map_100k_default", 100_000, 0, reps);
        mapCase(results, forkserver, "forkserver_pool_map_20k_chunk1", 20_000, 1, reps);
        results.put("apply_rtt_us", applyRoundTrip(reps, quick ? 500 : 2_000));
        results.put("cpu", cpu(CPU_N, reps));
        results.put("cpu_200m", cpu(CPU_N_SCALED, reps));
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("reps", reps);
        Common.emit("pool", extra, results);
    }

    static long doubler(int x) {
        return x * 2L;
    }

    /**
     * @param ctx null: {@code new Pool(2)} (spawn); else {@code ctx.pool(2)}, after a pause that lets the
     *     forkserver start its spares again, as they would be in a program that makes a pool now and then
     */
    private static void mapCase(Map<String, Object> results, Context ctx, String name, int n, int chunksize,
                                int reps) {
        List<Integer> input = IntStream.range(0, n).boxed().toList();
        List<Integer> small = IntStream.range(0, 1_000).boxed().toList();
        once(ctx, input, chunksize, true, small); // one unmeasured run: the parent JVM's JIT
        for (String mode : List.of("warm", "total")) {
            List<Double> secs = new ArrayList<>();
            for (int r = 0; r < reps; r++) {
                if (ctx != null) {
                    pause(SPARES_PAUSE_MS);
                }
                secs.add(once(ctx, input, chunksize, mode.equals("warm"), small));
                Common.log(String.format("%s %s rep%d: %.1f ms %,.0f tasks/s", name, mode, r, secs.get(r) * 1e3,
                        n / secs.get(r)));
            }
            List<Double> rates = secs.stream().map(s -> n / s).toList();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("tasks", n);
            m.put("seconds", Common.summarize(secs, 4));
            m.put("tasks_per_s", Common.summarize(rates, 0));
            results.put(name + "_" + mode, m);
        }
    }

    private static double once(Context ctx, List<Integer> input, int chunksize, boolean warm, List<Integer> small) {
        long t0 = System.nanoTime();
        Pool pool = ctx == null ? new Pool(2) : ctx.pool(2);
        List<Long> out;
        try {
            if (warm) {
                map(pool, small, chunksize);
                t0 = System.nanoTime();
            }
            out = map(pool, input, chunksize);
        } finally {
            pool.terminate();
            pool.join();
        }
        double dt = (System.nanoTime() - t0) / 1e9;
        if (out.size() != input.size() || out.get(out.size() - 1) != 2L * (input.size() - 1)) {
            throw new AssertionError("wrong results");
        }
        return dt;
    }

    /** {@code new Pool(2)} + map of {@code n} in a new JVM per rep: see the class comment. */
    private static Map<String, Object> freshPrograms(int n, int reps) {
        List<String> cmd = Common.javaCommand(PoolBench.class, "--fresh-program");
        List<Double> secs = new ArrayList<>();
        for (int r = -1; r < reps; r++) { // rep -1: unmeasured, the page cache and the children's archive
            double dt = runFreshProgram(cmd);
            if (r >= 0) {
                secs.add(dt);
                Common.log(String.format("pool_map_100k_fresh_program rep%d: %.1f ms %,.0f tasks/s", r, dt * 1e3,
                        n / dt));
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tasks", n);
        m.put("seconds", Common.summarize(secs, 4));
        m.put("tasks_per_s", Common.summarize(secs.stream().map(s -> n / s).toList(), 0));
        return m;
    }

    private static double runFreshProgram(List<String> cmd) {
        String out = Common.run(cmd, true).trim();
        return Double.parseDouble(out.substring(out.lastIndexOf('\n') + 1));
    }

    /** The fresh program itself: seconds from before {@code new Pool(2)} to the map's return. */
    private static double freshProgramOnce() {
        List<Integer> input = IntStream.range(0, 100_000).boxed().toList();
        long t0 = System.nanoTime();
        Pool pool = new Pool(2);
        List<Long> out;
        double dt;
        try {
            out = pool.map(PoolBench::doubler, input);
            dt = (System.nanoTime() - t0) / 1e9; // without the pool's close, as pool.py's "total"
        } finally {
            pool.terminate();
            pool.join();
        }
        if (out.size() != input.size() || out.get(out.size() - 1) != 2L * (input.size() - 1)) {
            throw new AssertionError("wrong results");
        }
        return dt;
    }

    private static List<Long> map(Pool pool, List<Integer> input, int chunksize) {
        return chunksize > 0 ? pool.map(PoolBench::doubler, input, chunksize) : pool.map(PoolBench::doubler, input);
    }

    private static final long SPARES_PAUSE_MS = 1_500;

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static int one() {
        return 1;
    }

    /**
     * {@code apply} round trip on a warm {@code Pool(2)}, the twin of {@code bench/python/apply_rtt.py}:
     * 200 unmeasured calls, then per rep {@code n} sequential calls timed one by one; per rep their
     * median, in µs.
     */
    private static Map<String, Object> applyRoundTrip(int reps, int n) {
        List<Double> medians = new ArrayList<>();
        try (Pool pool = new Pool(2)) {
            for (int i = 0; i < 200; i++) {
                pool.apply(PoolBench::one);
            }
            for (int r = 0; r < reps; r++) {
                double[] lat = new double[n];
                for (int i = 0; i < n; i++) {
                    long t0 = System.nanoTime();
                    if (pool.apply(PoolBench::one) != 1) {
                        throw new AssertionError("wrong result");
                    }
                    lat[i] = (System.nanoTime() - t0) / 1e3;
                }
                java.util.Arrays.sort(lat);
                medians.add(lat[n / 2]);
                Common.log(String.format("apply rep%d: median %.1f us", r, lat[n / 2]));
            }
        }
        return Common.summarize(medians, 1);
    }

    static long work(int n) {
        long s = 0;
        for (long i = 0; i < n; i++) {
            s += i * i;
        }
        return s;
    }

    private static Map<String, Object> cpu(int cpuN, int reps) {
        long expect = work(cpuN);
        List<Double> serial = new ArrayList<>();
        List<Double> warm = new ArrayList<>();
        List<Double> total = new ArrayList<>();
        List<Double> warmWorkers = new ArrayList<>();
        List<Integer> jobs = java.util.Collections.nCopies(CPU_JOBS, cpuN);
        for (int r = 0; r < reps + 1; r++) {
            long t0 = System.nanoTime();
            for (int j = 0; j < CPU_JOBS; j++) {
                if (work(cpuN) != expect) {
                    throw new AssertionError("wrong sum");
                }
            }
            double s = (System.nanoTime() - t0) / 1e9;
            t0 = System.nanoTime();
            List<Long> out;
            double map;
            double all;
            double again;
            try (Pool pool = new Pool(2)) {
                long t1 = System.nanoTime();
                out = pool.map(PoolBench::work, jobs, 1);
                map = (System.nanoTime() - t1) / 1e9;
                all = (System.nanoTime() - t0) / 1e9;
                t1 = System.nanoTime();
                pool.map(PoolBench::work, jobs, 1); // the same workers, their JIT warm now
                again = (System.nanoTime() - t1) / 1e9;
            }
            if (!out.equals(java.util.Collections.nCopies(CPU_JOBS, expect))) {
                throw new AssertionError("wrong sums");
            }
            Common.log(String.format("cpu n=%,d rep%d: serial %.3fs pool(map only) %.3fs pool(incl create) %.3fs "
                    + "speedup %.2f; again on the same workers %.3fs speedup %.2f", cpuN, r, s, map, all, s / map,
                    again, s / again));
            if (r > 0) { // the first rep warms this JVM's JIT for the serial run
                serial.add(s);
                warm.add(map);
                total.add(all);
                warmWorkers.add(s / again);
            }
        }
        List<Double> speed = new ArrayList<>();
        List<Double> speedTotal = new ArrayList<>();
        for (int i = 0; i < serial.size(); i++) {
            speed.add(serial.get(i) / warm.get(i));
            speedTotal.add(serial.get(i) / total.get(i));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("serial_s", Common.summarize(serial, 4));
        m.put("pool2_map_s", Common.summarize(warm, 4));
        m.put("pool2_create_plus_map_s", Common.summarize(total, 4));
        m.put("speedup", Common.summarize(speed, 3));
        m.put("speedup_incl_create", Common.summarize(speedTotal, 3));
        m.put("speedup_warm_workers", Common.summarize(warmWorkers, 3));
        return m;
    }
}
