package org.multiprocessing4j.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.multiprocessing4j.Connection;
import org.multiprocessing4j.Manager;
import org.multiprocessing4j.Pipe;
import org.multiprocessing4j.Process;

/**
 * A managed dict used from a child, the twin of {@code manager.py}: per rep a new {@link Manager} (its
 * start-up timed), a {@code dict()}, and a child that does N × ({@code d.put(i, i)}; {@code d.get(i)})
 * through the proxy, timing itself (its first call opens its connection, as in Python) and sending the
 * time back on a pipe.
 *
 * <pre>
 *   java -cp multiprocessing4j-bench.jar org.multiprocessing4j.bench.ManagerBench [--n 10000] [--reps 5] [--quick]
 * </pre>
 *
 * Reports set+get pairs/s, proxy calls/s (2 per pair), µs per proxy call (one round trip each), and the
 * manager's start-up (ms), like manager.py; and, beyond it, the same loop again in the same child once
 * warm (its JIT has compiled the call path), which is what a long-running program sees.
 */
public final class ManagerBench {
    private ManagerBench() {
    }

    public static void main(String[] argv) {
        Common.Args args = new Common.Args(argv, Set.of("quick"));
        boolean quick = args.flag("quick");
        int n = args.getInt("n", quick ? 2_000 : 10_000);
        int reps = args.getInt("reps", quick ? 2 : 5);
        List<Double> pairs = new ArrayList<>();
        List<Double> warmPairs = new ArrayList<>();
        List<Double> start = new ArrayList<>();
        for (int r = 0; r < reps; r++) {
            long t0 = System.nanoTime();
            try (Manager m = Manager.start()) {
                start.add((System.nanoTime() - t0) / 1e6);
                Map<Integer, Integer> d = m.dict();
                Pipe pipe = Pipe.open();
                Connection there = pipe.right();
                Process p = new Process(() -> {
                    there.send(client(d, n));
                    there.send(client(d, n)); // again, warm
                });
                p.start();
                double dt = (Double) pipe.left().recv();
                double warm = (Double) pipe.left().recv();
                p.join();
                p.close();
                pipe.close();
                if (d.size() != n) {
                    throw new IllegalStateException("the dict has " + d.size() + " entries, not " + n);
                }
                pairs.add(n / dt);
                warmPairs.add(n / warm);
                Common.log(String.format("rep%d: %,.0f set+get pairs/s (warm %,.0f), manager start %.1f ms", r,
                        pairs.get(r), warmPairs.get(r), start.get(r)));
            }
        }
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("set_get_pairs_per_s", Common.summarize(pairs, 0));
        results.put("proxy_calls_per_s", Common.summarize(pairs.stream().map(x -> 2 * x).toList(), 0));
        results.put("us_per_proxy_call", Common.summarize(pairs.stream().map(x -> 1e6 / (2 * x)).toList(), 2));
        results.put("manager_start_ms", Common.summarize(start, 2));
        results.put("warm_us_per_proxy_call", Common.summarize(warmPairs.stream().map(x -> 1e6 / (2 * x)).toList(), 2));
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("n", n);
        extra.put("reps", reps);
        Common.emit("manager", extra, results);
    }

    /** N × (put; get) through the proxy; the seconds it took. */
    private static double client(Map<Integer, Integer> d, int n) {
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            d.put(i, i);
            if (d.get(i) != i) {
                throw new IllegalStateException("d[" + i + "] is " + d.get(i));
            }
        }
        return (System.nanoTime() - t0) / 1e9;
    }
}
