package org.multiprocessing4j.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.multiprocessing4j.Multiprocessing;

/**
 * What an idle {@code forkserver} spare costs: its memory and the CPU it uses while it waits for a task.
 *
 * <pre>
 *   java -cp multiprocessing4j-bench.jar org.multiprocessing4j.bench.SpareBench [--seconds 5] [--quick]
 * </pre>
 *
 * {@code getContext("forkserver")} starts the spares (default {@code multiprocessing4j.spares} = 2);
 * the clock {@code spares_ready_s} runs until every spare JVM (a child of this JVM running
 * {@code ChildMain}) has used less than 2 % of a core over 0.5 s, i.e. has booted, warmed up and now waits.
 * Then, per spare: {@code VmRSS}, {@code VmHWM}, {@code RssAnon}, {@code RssFile}, {@code Threads} from
 * {@code /proc/<pid>/status} and {@code Pss} from {@code /proc/<pid>/smaps_rollup} (MiB), and the CPU it used
 * over {@code --seconds} (utime + stime from {@code /proc/<pid>/stat}, clock ticks of 1/100 s, as a
 * percentage of one core). The summaries are over the spares. The spares end with this JVM.
 */
public final class SpareBench {
    private static final String CHILD_MAIN = "org.multiprocessing4j.internal.launch.ChildMain";
    private static final double IDLE_SHARE = 0.02;
    private static final long SAMPLE_MS = 500;
    private static final long READY_TIMEOUT_MS = 120_000;

    private SpareBench() {
    }

    public static void main(String[] argv) throws Exception {
        Common.Args args = new Common.Args(argv, Set.of("quick"));
        boolean quick = args.flag("quick");
        double seconds = args.getDouble("seconds", quick ? 2.0 : 5.0);
        int want = Math.max(1, Integer.getInteger("multiprocessing4j.spares", 2));

        long t0 = System.nanoTime();
        Multiprocessing.getContext("forkserver"); // starts the spares in the background
        List<ProcessHandle> spares = waitForIdleSpares(want);
        double readyS = (System.nanoTime() - t0) / 1e9;
        Common.log(String.format("%d spares idle after %.2f s: %s", spares.size(), readyS,
                spares.stream().map(ProcessHandle::pid).toList()));

        Map<Long, Long> before = cpuTicks(spares);
        long w0 = System.nanoTime();
        Thread.sleep((long) (seconds * 1000));
        double wall = (System.nanoTime() - w0) / 1e9;
        Map<String, List<Double>> mem = new LinkedHashMap<>();
        List<Double> cpu = new ArrayList<>();
        for (ProcessHandle h : spares) {
            long ticks = Common.cpuTicks(h.pid()) - before.get(h.pid());
            double share = ticks / 100.0 / wall * 100;
            cpu.add(share);
            Map<String, Double> m = ChildRssBench.memory(h.pid());
            m.forEach((k, v) -> mem.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
            Common.log(String.format("spare %d: %d ticks in %.1f s = %.2f %% of a core; %s", h.pid(), ticks, wall,
                    share, m));
        }

        Map<String, Object> mib = new LinkedHashMap<>();
        mem.forEach((k, v) -> mib.put(k, Common.summarize(v, k.equals("Threads") ? 0 : 1)));
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("spare_MiB", mib);
        results.put("spare_cpu_percent_of_core", Common.summarize(cpu, 2));
        results.put("spares_ready_s", Common.round(readyS, 2));
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("spares", spares.size());
        extra.put("seconds", seconds);
        Common.emit("spare", extra, results);
    }

    /** The spare JVMs once there are {@code want} of them and all are idle; throws after a deadline. */
    private static List<ProcessHandle> waitForIdleSpares(int want) throws Exception {
        long deadline = System.nanoTime() + READY_TIMEOUT_MS * 1_000_000;
        while (System.nanoTime() < deadline) {
            List<ProcessHandle> spares = ProcessHandle.current().children()
                    .filter(h -> isSpare(h.pid())).toList();
            if (spares.size() >= want) {
                Map<Long, Long> before = cpuTicks(spares);
                Thread.sleep(SAMPLE_MS);
                boolean idle = true;
                for (ProcessHandle h : spares) {
                    long ticks = Common.cpuTicks(h.pid()) - before.get(h.pid());
                    idle &= ticks <= IDLE_SHARE * SAMPLE_MS / 10.0;
                }
                if (idle) {
                    return spares;
                }
            } else {
                Thread.sleep(20);
            }
        }
        throw new IllegalStateException("no " + want + " idle forkserver spares after " + READY_TIMEOUT_MS + " ms");
    }

    /** Each process's CPU ticks so far (see {@link Common#cpuTicks}), by pid. */
    private static Map<Long, Long> cpuTicks(List<ProcessHandle> processes) throws IOException {
        Map<Long, Long> ticks = new LinkedHashMap<>();
        for (ProcessHandle h : processes) {
            ticks.put(h.pid(), Common.cpuTicks(h.pid()));
        }
        return ticks;
    }

    private static boolean isSpare(long pid) {
        try {
            return ChildRssBench.cmdline(pid).stream().anyMatch(a -> a.contains(CHILD_MAIN));
        } catch (IOException gone) {
            return false;
        }
    }
}
