package org.multiprocessing4j.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.multiprocessing4j.Context;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.Process;

/**
 * Memory of an idle child JVM, to set beside the idle Pool worker of
 * {@code shared/bench/python/memory.py}.
 *
 * <pre>
 *   java -cp multiprocessing4j-bench.jar org.multiprocessing4j.bench.ChildRssBench [--children 5]
 *        [--settle 1.0] [--warmup 1] [--method spawn] [--quick]
 * </pre>
 *
 * After {@code --warmup} trivial processes (run to completion, so that one-off work such as training a
 * class-data-sharing archive is done), for each child, one at a time: start a {@link Process} whose target creates a marker file (so the
 * parent knows user code runs) and then sleeps; wait for the marker, wait {@code --settle} seconds more,
 * read {@code VmRSS}, {@code VmHWM}, {@code RssAnon}, {@code RssFile} and {@code Threads} from
 * {@code /proc/<pid>/status} and {@code Pss}, {@code Pss_Anon}, {@code Pss_File} from
 * {@code /proc/<pid>/smaps_rollup} (MiB), then terminate it. Also reported: the time from
 * {@code start()} to the marker (the child runs user code), and the first child's command line.
 *
 * <p>Pss divides shared pages (libjvm.so, the CDS archive, the jars) among every process that maps them,
 * including the parent JVM and any unrelated JVM on the machine, so it moves with what else runs.
 */
public final class ChildRssBench {
    private static final List<String> STATUS_KEYS = List.of("VmRSS", "VmHWM", "RssAnon", "RssFile", "Threads");
    private static final List<String> ROLLUP_KEYS = List.of("Pss", "Pss_Anon", "Pss_File");

    private ChildRssBench() {
    }

    public static void main(String[] argv) throws Exception {
        Common.Args args = new Common.Args(argv, Set.of("quick"));
        boolean quick = args.flag("quick");
        int children = args.getInt("children", quick ? 3 : 5);
        double settle = args.getDouble("settle", 1.0);
        String method = args.get("method", Multiprocessing.getStartMethod());
        Context ctx = Multiprocessing.getContext(method);

        int warmup = args.getInt("warmup", 1);

        // Steady state first: a child that ends of its own accord, so one-off work such as writing a
        // class-data-sharing archive is done before the measured children start.
        for (int i = 0; i < warmup; i++) {
            Process w = ctx.process(() -> { });
            w.start();
            w.join();
            w.close();
        }

        Path dir = Files.createTempDirectory("mp4j-bench-rss-");
        Map<String, List<Double>> acc = new LinkedHashMap<>();
        List<Double> ready = new ArrayList<>();
        List<String> cmdline = null;
        try {
            for (int i = 0; i < children; i++) {
                String marker = dir.resolve("ready-" + i).toString();
                long t0 = System.nanoTime();
                Process p = ctx.process(() -> idle(marker));
                p.start();
                try {
                    waitForMarker(p, Path.of(marker), Duration.ofSeconds(120));
                    ready.add(Common.millisSince(t0));
                    Thread.sleep((long) (settle * 1000));
                    long pid = p.pid();
                    Map<String, Double> mem = memory(pid);
                    mem.forEach((k, v) -> acc.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
                    if (cmdline == null) {
                        cmdline = cmdline(pid);
                    }
                    Common.log(String.format("child %d (pid %d): ready after %.1f ms, %s", i, pid,
                            ready.get(ready.size() - 1), mem));
                } finally {
                    stop(p);
                }
            }
        } finally {
            deleteTree(dir);
        }

        Map<String, Object> mib = new LinkedHashMap<>();
        acc.forEach((k, v) -> mib.put(k, Common.summarize(v, k.equals("Threads") ? 0 : 1)));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("idle_child_MiB", mib);
        m.put("ready_ms", Common.summarize(ready, 2));
        m.put("child_cmdline", cmdline);
        Map<String, Object> results = new LinkedHashMap<>();
        results.put(method, m);
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("children", children);
        extra.put("settle_s", settle);
        extra.put("warmup", warmup);
        Common.emit("child_rss", extra, results);
    }

    /** The child's target: say "running", then idle until terminated. */
    private static void idle(String marker) {
        try {
            Files.createFile(Path.of(marker));
            Thread.sleep(600_000);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void waitForMarker(Process p, Path marker, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!Files.exists(marker)) {
            if (!p.isAlive()) {
                throw new IllegalStateException("child " + p + " ended before it was ready");
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("child " + p + " not ready after " + timeout);
            }
            Thread.sleep(1);
        }
    }

    private static void stop(Process p) {
        if (p.isAlive()) {
            p.terminate();
        }
        if (!p.join(Duration.ofSeconds(10))) {
            Common.log("child " + p + " ignored SIGTERM; killing it");
            p.kill();
            p.join();
        }
        Integer code = p.exitCode();
        if (code == null || code != -15) {
            Common.log("warning: child " + p + " exited with " + code + ", expected -15 (SIGTERM)");
        }
        p.close();
    }

    /** MiB (Threads: a count) from /proc/pid/status and /proc/pid/smaps_rollup. */
    static Map<String, Double> memory(long pid) throws IOException {
        Map<String, Double> out = new LinkedHashMap<>();
        readKb(Path.of("/proc", Long.toString(pid), "status"), STATUS_KEYS, out);
        Path rollup = Path.of("/proc", Long.toString(pid), "smaps_rollup");
        if (Files.isReadable(rollup)) {
            readKb(rollup, ROLLUP_KEYS, out);
        }
        return out;
    }

    /** The {@code keys} of a /proc file of "Key: N kB" lines into {@code out}, in MiB (Threads: a count). */
    static void readKb(Path file, List<String> keys, Map<String, Double> out) throws IOException {
        for (String line : Files.readAllLines(file)) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String key = line.substring(0, colon);
            if (!keys.contains(key)) {
                continue;
            }
            String[] words = line.substring(colon + 1).trim().split("\\s+");
            double v = Double.parseDouble(words[0]);
            out.put(key, key.equals("Threads") ? v : v / 1024);
        }
    }

    /** The arguments of a process, from /proc/&lt;pid&gt;/cmdline. */
    static List<String> cmdline(long pid) throws IOException {
        byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
        List<String> words = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] == 0) {
                words.add(new String(raw, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        return words;
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // a temp dir left behind is harmless
        }
    }
}
