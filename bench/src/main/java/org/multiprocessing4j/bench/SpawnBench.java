package org.multiprocessing4j.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.multiprocessing4j.Context;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.Process;

/**
 * {@code Process.start()} + {@code join()} latency for a trivial target, the twin of
 * {@code shared/bench/python/spawn.py}.
 *
 * <pre>
 *   java -cp multiprocessing4j-bench.jar org.multiprocessing4j.bench.SpawnBench [--n 50] [--reps 5]
 *        [--warmup 1] [--method spawn] [--quick]
 * </pre>
 *
 * Each repetition starts N processes one after the other, each timed from {@code new Process(...)}
 * through {@code start()} to the end of {@code join()}; the repetition's median is one sample. Reported:
 * median/min/max of the rep medians, the same of the rep means, when {@code start()} returned, and the
 * first (cold) process on its own: it may pay one-off costs such as writing a class-data-sharing
 * archive, which the warm-up absorbs. Every child must exit with code 0.
 *
 * <p>With {@code spawn}, also the floor under every child of ours: a JVM that runs an empty {@code main}
 * ({@link EmptyMain}, the same {@code java} and class path), started by {@code ProcessBuilder} and waited
 * for, {@value #FLOOR_N} times per rep, the median of the rep medians after one unmeasured start:
 * {@code bare_jvm_ms} with no option, as a user runs {@code java}, and {@code bare_jvm_lean_ms} with the
 * start-up options the library gives its children ({@link #CHILD_FLAGS}, as the README lists them).
 */
public final class SpawnBench {
    /** Bare JVMs timed per rep. */
    private static final int FLOOR_N = 20;
    /** The options the library gives a child JVM to start faster, as the README lists them. */
    static final List<String> CHILD_FLAGS = List.of("-XX:-UsePerfData", "-XX:+UnlockDiagnosticVMOptions",
            "-XX:ArchiveRelocationMode=0");

    private SpawnBench() {
    }

    public static void main(String[] argv) {
        Common.Args args = new Common.Args(argv, Set.of("quick"));
        boolean quick = args.flag("quick");
        int n = args.getInt("n", quick ? 20 : 50);
        int reps = args.getInt("reps", quick ? 3 : 5);
        int warmup = Math.max(1, args.getInt("warmup", 1));
        String method = args.get("method", Multiprocessing.getStartMethod());
        Context ctx = Multiprocessing.getContext(method);

        double[] first = timeOne(ctx);
        Common.log(String.format("%s first process: %.1f ms (start() returned after %.1f ms)",
                method, first[0], first[1]));
        for (int i = 1; i < warmup; i++) {
            timeOne(ctx);
        }

        List<Double> medians = new ArrayList<>();
        List<Double> means = new ArrayList<>();
        List<Double> startMedians = new ArrayList<>();
        List<Double> all = new ArrayList<>();
        for (int r = 0; r < reps; r++) {
            List<Double> ts = new ArrayList<>();
            List<Double> starts = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                double[] t = timeOne(ctx);
                ts.add(t[0]);
                starts.add(t[1]);
            }
            all.addAll(ts);
            medians.add(Common.median(ts));
            means.add(Common.mean(ts));
            startMedians.add(Common.median(starts));
            Common.log(String.format("%s rep%d: median %.2f ms  mean %.2f ms  (start() %.2f ms)",
                    method, r, medians.get(r), means.get(r), startMedians.get(r)));
        }

        Map<String, Object> m = new LinkedHashMap<>();
        m.put("per_process_ms", Common.summarize(medians, 4));
        m.put("per_process_mean_ms", Common.summarize(means, 4));
        m.put("start_returns_ms", Common.summarize(startMedians, 4));
        m.put("all_processes_ms", Common.summarize(all, 4));
        m.put("first_process_ms", Common.round(first[0], 2));
        m.put("first_start_returns_ms", Common.round(first[1], 2));
        if (method.equals("spawn")) {
            m.put("bare_jvm_ms", bareJvm(List.of(), reps));
            m.put("bare_jvm_lean_ms", bareJvm(CHILD_FLAGS, reps));
        }
        Map<String, Object> results = new LinkedHashMap<>();
        results.put(method, m);
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("n", n);
        extra.put("reps", reps);
        extra.put("warmup", warmup);
        Common.emit("spawn", extra, results);
    }

    /** One process, start() to the end of join(): {total ms, ms until start() returned}. */
    private static double[] timeOne(Context ctx) {
        long t0 = System.nanoTime();
        Process p = ctx.process(() -> { });
        p.start();
        double started = Common.millisSince(t0);
        p.join();
        double total = Common.millisSince(t0);
        Integer code = p.exitCode();
        if (code == null || code != 0) {
            throw new AssertionError("child " + p + " exited with " + code + ", expected 0");
        }
        p.close();
        return new double[] {total, started};
    }

    /** The floor: a JVM with an empty main, {@code ProcessBuilder.start()} to the end of {@code waitFor()}. */
    private static Map<String, Object> bareJvm(List<String> options, int reps) {
        List<String> cmd = new ArrayList<>(Common.javaCommand(EmptyMain.class));
        cmd.addAll(1, options);
        timeBareJvm(cmd); // unmeasured: the first start reads the class path's jars into the page cache
        List<Double> medians = new ArrayList<>();
        for (int r = 0; r < reps; r++) {
            List<Double> ts = new ArrayList<>();
            for (int i = 0; i < FLOOR_N; i++) {
                ts.add(timeBareJvm(cmd));
            }
            medians.add(Common.median(ts));
            Common.log(String.format("bare JVM %s rep%d: median %.2f ms", options, r, medians.get(r)));
        }
        return Common.summarize(medians, 4);
    }

    private static double timeBareJvm(List<String> cmd) {
        long t0 = System.nanoTime();
        Common.run(cmd, false);
        return Common.millisSince(t0);
    }

    /** The bare JVM's main: nothing. */
    public static final class EmptyMain {
        private EmptyMain() {
        }

        public static void main(String[] args) {
            // the floor: what a JVM costs before a program does anything
        }
    }
}
