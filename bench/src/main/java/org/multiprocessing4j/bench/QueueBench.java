package org.multiprocessing4j.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.multiprocessing4j.Process;
import org.multiprocessing4j.Queue;
import org.multiprocessing4j.SimpleQueue;

/**
 * {@code Queue} and {@code SimpleQueue} between processes, twin of the queue cases of {@code queue_tp.py},
 * plus what the issue asks of a blocked consumer.
 *
 * <pre>
 *   java -cp multiprocessing4j-bench.jar org.multiprocessing4j.bench.QueueBench [--reps 5] [--quick]
 * </pre>
 *
 * <ul>
 *   <li>{@code queue_int}, {@code queue_1KiB}, {@code queue_1MiB}, {@code simplequeue_int},
 *       {@code simplequeue_1KiB}: one-way throughput child to parent, as {@code PipeBench} measures it
 *       (the child says it is ready and waits for "go"; the clock runs from "go" to the last item).</li>
 *   <li>{@code queue_int_get_in_child}: the other direction, which {@code queue_tp.py} does not measure:
 *       the parent has put N ints, a child takes them (clocked in the child); no CPython twin.</li>
 *   <li>{@code queue_str_10KiB}, {@code queue_str_100KiB}, {@code queue_doc_10KiB}, {@code queue_doc_100KiB}:
 *       large items, child to parent as above: a {@code String} of that many ASCII chars, or a record
 *       holding a path and such a string (a file and its text); 100 MB per run. No CPython twin
 *       ({@code queue_tp.py} sends bytes); the target is on our own MB/s.</li>
 *   <li>{@code queue_str_10KiB_child_to_child}, {@code queue_str_100KiB_child_to_child}: the same strings
 *       from one child to another through a queue the parent created (and so serves), clocked in the
 *       consuming child from its first item to its last.</li>
 *   <li>{@code blocked_consumer}: a child blocked in {@code get()} on an empty queue for 10 s; the CPU
 *       time it used meanwhile (utime + stime from /proc, as a share of one core).</li>
 *   <li>{@code wakeup}: a child blocked in {@code get()}; the parent puts {@code System.nanoTime()} and the
 *       child reports how long after the put it got it (µs, median and p99 over 200 wake-ups, each after
 *       the consumer has been idle for 5 ms).</li>
 * </ul>
 */
public final class QueueBench {
    private static final int KIB = 1024;
    private static final int MIB = 1024 * 1024;

    private record Case(String name, boolean simple, int size, int n) {
    }

    private static final List<Case> CASES = List.of(
            new Case("queue_int", false, 0, 200_000),
            new Case("queue_1KiB", false, KIB, 100_000),
            new Case("queue_1MiB", false, MIB, 500),
            new Case("simplequeue_int", true, 0, 200_000),
            new Case("simplequeue_1KiB", true, KIB, 100_000));

    private QueueBench() {
    }

    public static void main(String[] argv) throws Exception {
        Common.Args args = new Common.Args(argv, Set.of("quick"));
        boolean quick = args.flag("quick");
        int reps = args.getInt("reps", quick ? 2 : 5);
        Map<String, Object> results = new LinkedHashMap<>();
        for (Case c : CASES) {
            int items = quick ? Math.max(100, c.n() / 20) : c.n();
            results.put(c.name(), Common.throughput(c.name(), items, c.size(), reps, () -> oneRun(c, items)));
        }
        for (String kind : List.of("str", "doc")) {
            for (int size : new int[] {10 * KIB, 100 * KIB}) {
                String name = "queue_" + kind + "_" + size / KIB + "KiB";
                int items = (quick ? 10_000_000 : 100_000_000) / size;
                results.put(name, Common.throughput(name, items, size, reps, () -> largeItems(kind, size, items)));
                if (kind.equals("str")) {
                    String c2c = name + "_child_to_child";
                    results.put(c2c, Common.throughput(c2c, items - 1, size, reps,
                            () -> largeItemsChildToChild(size, items)));
                }
            }
        }
        int gets = quick ? 2_000 : 20_000;
        results.put("queue_int_get_in_child", Common.throughput("queue_int_get_in_child", gets, 0, reps,
                () -> getsInChild(gets)));
        results.put("blocked_consumer", blockedConsumer(quick ? 3 : 10));
        results.put("wakeup", wakeup(quick ? 50 : 200));
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("reps", reps);
        Common.emit("queue", extra, results);
    }

    private static double oneRun(Case c, int n) {
        Queue<Object> q = c.simple() ? new SimpleQueue<>() : new Queue<>();
        // one queue per direction: with a single one the child could take its own "ready" back
        Queue<String> ready = new Queue<>();
        Queue<String> go = new Queue<>();
        int size = c.size();
        Process producer = new Process(() -> {
            byte[] payload = new byte[size];
            Arrays.fill(payload, (byte) 'x');
            ready.put("ready");
            go.get();
            if (size == 0) {
                for (int i = 0; i < n; i++) {
                    q.put(i);
                }
            } else {
                for (int i = 0; i < n; i++) {
                    q.put(payload);
                }
            }
        });
        producer.start();
        ready.get();
        long t0 = System.nanoTime();
        go.put("go");
        Object last = null;
        for (int i = 0; i < n; i++) {
            last = q.get();
        }
        double dt = (System.nanoTime() - t0) / 1e9;
        producer.join();
        check(producer, 0);
        if (size == 0 ? !Integer.valueOf(n - 1).equals(last) : ((byte[]) last).length != size) {
            throw new AssertionError(c.name() + ": wrong last item");
        }
        return dt;
    }

    /** A file and its text, as a program that reads files puts them. */
    record Doc(String path, String text) implements java.io.Serializable {
    }

    private static Object largeItem(String kind, String text, int i) {
        return kind.equals("str") ? text : new Doc("/usr/lib/python3/module" + i + ".py", text);
    }

    private static int textLength(Object item) {
        return item instanceof Doc d ? d.text().length() : ((String) item).length();
    }

    /** n large items (see the class comment) from a child to the parent, clocked as {@link #oneRun} is. */
    private static double largeItems(String kind, int size, int n) {
        Queue<Object> q = new Queue<>();
        Queue<String> ready = new Queue<>();
        Queue<String> go = new Queue<>();
        Process producer = new Process(() -> {
            String text = "x".repeat(size);
            ready.put("ready");
            go.get();
            for (int i = 0; i < n; i++) {
                q.put(largeItem(kind, text, i));
            }
        });
        producer.start();
        ready.get();
        long t0 = System.nanoTime();
        go.put("go");
        long chars = 0;
        for (int i = 0; i < n; i++) {
            chars += textLength(q.get());
        }
        double dt = (System.nanoTime() - t0) / 1e9;
        producer.join();
        check(producer, 0);
        if (chars != (long) n * size) {
            throw new AssertionError(kind + " " + size + ": " + chars + " chars arrived, not " + (long) n * size);
        }
        return dt;
    }

    /**
     * n strings from one child to another; the consumer clocks from its first item to its last, so the
     * time of n - 1 items.
     */
    private static double largeItemsChildToChild(int size, int n) {
        Queue<String> q = new Queue<>();
        Queue<Long> result = new Queue<>();
        Process consumer = new Process(() -> {
            long chars = q.get().length();
            long t0 = System.nanoTime();
            for (int i = 1; i < n; i++) {
                chars += q.get().length();
            }
            long dt = System.nanoTime() - t0;
            result.put(chars == (long) n * size ? dt : -1L);
        });
        Process producer = new Process(() -> {
            String text = "x".repeat(size);
            for (int i = 0; i < n; i++) {
                q.put(text);
            }
        });
        consumer.start();
        producer.start();
        long dt = result.get();
        producer.join();
        consumer.join();
        check(producer, 0);
        check(consumer, 0);
        if (dt < 0) {
            throw new AssertionError("child to child, " + size + ": items lost or cut");
        }
        return dt / 1e9;
    }

    /** The other direction: the parent has put n ints; a child takes them, one round trip each. */
    private static double getsInChild(int n) {
        Queue<Integer> q = new Queue<>();
        Queue<Long> result = new Queue<>();
        for (int i = 0; i < n; i++) {
            q.put(i);
        }
        Process consumer = new Process(() -> {
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                if (q.get() != i) {
                    throw new AssertionError("out of order");
                }
            }
            result.put(System.nanoTime() - t0);
        });
        consumer.start();
        double dt = result.get() / 1e9;
        consumer.join();
        check(consumer, 0);
        return dt;
    }

    private static Map<String, Object> blockedConsumer(int seconds) throws Exception {
        Queue<String> q = new Queue<>();
        Queue<String> control = new Queue<>();
        Process consumer = new Process(() -> {
            control.put("blocking");
            q.get();
        });
        consumer.start();
        control.get();
        Thread.sleep(500); // past the spin and into the park
        long before = Common.cpuTicks(consumer.pid());
        long t0 = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        long ticks = Common.cpuTicks(consumer.pid()) - before;
        double wall = (System.nanoTime() - t0) / 1e9;
        q.put("done");
        consumer.join();
        check(consumer, 0);
        double share = ticks / 100.0 / wall * 100; // clock ticks are 1/100 s on Linux
        Common.log(String.format("blocked consumer: %d ticks in %.1f s = %.3f %% of a core", ticks, wall, share));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seconds", Common.round(wall, 2));
        m.put("cpu_ticks", ticks);
        m.put("percent_of_core", Common.round(share, 3));
        return m;
    }

    private static Map<String, Object> wakeup(int n) throws Exception {
        Queue<Long> q = new Queue<>();
        Queue<Long> latencies = new Queue<>();
        Process consumer = new Process(() -> {
            while (true) {
                long sent = q.get();
                if (sent < 0) {
                    break;
                }
                latencies.put(System.nanoTime() - sent);
            }
        });
        consumer.start();
        List<Double> us = new ArrayList<>();
        for (int i = 0; i < n + 20; i++) {
            Thread.sleep(5);
            q.put(System.nanoTime()); // nanoTime is one clock for every process on Linux (CLOCK_MONOTONIC)
            double latency = latencies.get() / 1e3;
            if (i >= 20) {
                us.add(latency);
            }
        }
        q.put(-1L);
        consumer.join();
        check(consumer, 0);
        double[] sorted = us.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("n", n);
        m.put("median_us", Common.round(sorted[sorted.length / 2], 1));
        m.put("p99_us", Common.round(sorted[(int) (sorted.length * 0.99)], 1));
        Common.log(String.format("wake-up after put: median %.1f us, p99 %.1f us", sorted[sorted.length / 2],
                sorted[(int) (sorted.length * 0.99)]));
        return m;
    }

    private static void check(Process p, int expected) {
        if (!Integer.valueOf(expected).equals(p.exitCode())) {
            throw new AssertionError(p + " exited with " + p.exitCode());
        }
        p.close();
    }
}
