package org.multiprocessing4j.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Serializable;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.multiprocessing4j.AsyncResult;
import org.multiprocessing4j.Pool;
import org.multiprocessing4j.cluster.Cluster;

/**
 * The pool on a cluster beside the local pool, in the same run: members are JVMs of their own started
 * as a user starts them ({@code java -cp ... org.multiprocessing4j.cluster.Member}), on loopback, and this
 * JVM is the driver.
 *
 * <pre>
 *   java -cp multiprocessing4j-bench.jar org.multiprocessing4j.bench.ClusterBench [--reps 5] [--quick]
 * </pre>
 *
 * <ul>
 *   <li>{@code member_ready_s}: from the member's {@code java} command to its "member ready" line, with
 *       {@code --workers 2}; a new member per rep. Then {@code idle_member_MiB}: the idle member's VmRSS and
 *       Pss (no pool open: it runs no worker yet).</li>
 *   <li>{@code map_10k}: {@code map(x -> x * 2)} of 10,000 items, Python's default chunks, on 2 members ×
 *       1 worker, and on a local {@code Pool(2)}; each pool warm alike: one pool at a time, it runs such
 *       maps in batches of {@value #WARM_BATCH} until its time is steady ({@link #warm}). A map has 8 chunks
 *       (4 per worker), so each JVM of the path runs its code for a chunk 4 to 8 times a map, and the JITs
 *       compile that code only after thousands of maps: on two cores, the cluster's map took 2,000 to 3,000
 *       maps to come down to its warm time, a local pool's some 500, so each pool runs at least
 *       {@value #LEAST_WARM_BATCHES} batches. Then the timed maps alternate between the two pools,
 *       {@value #MAPS_PER_REP} × reps of each, so that the machine's other work and the JITs' late
 *       compilations weigh on both alike; the ratio cluster / local of the medians. Then
 *       {@code cpu_ms_per_map}: {@value #CPU_MAPS} more maps on each pool, the CPU time (user + system, from
 *       {@code /proc}, in ticks of 10 ms) they took in each JVM of their path, per map: on two cores, where
 *       every JVM of both pools runs, a map's time follows the CPU its path takes.</li>
 *   <li>{@code tiny_tasks}: the same map of 2,000 items with {@code chunksize} 1 (2,000 tasks, each a round
 *       trip to a worker), on the same two pools, alternating, {@value #TINY_MAPS_PER_REP} × reps of each, after
 *       {@value #TINY_WARM_MAPS} on each; the ratio cluster / local of the medians. No target: it shows what a
 *       worker's window of tasks in flight buys tasks that take less than the round trip.</li>
 *   <li>{@code cpu_200ms}: 12 tasks of ~200 ms of CPU each (a loop whose steps are counted for 200 ms in a
 *       worker of the local pool, compiled), chunksize 1, on the same two pools, after 2 such tasks ran on each; tasks per second,
 *       and the ratio cluster / local.</li>
 *   <li>{@code failover_s}: 3 members × 1 worker run 2 tasks of 3 s; the member running task 0 gets
 *       {@code kill -9}; the time until task 0 starts again on another member (each start leaves a marker
 *       file with its wall-clock time: the members run on this machine). The failure-detection timeout is
 *       the default (5 s).</li>
 * </ul>
 */
public final class ClusterBench {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
    /** Warm-up maps of 10,000 are timed in batches of this many; a batch's median is its time. */
    private static final int WARM_BATCH = 100;
    /** A pool is warm once this many batches in a row were not faster than its best batch by 5 %. */
    private static final int STEADY_BATCHES = 5;
    /** Batches of warm-up maps on each pool, at least and at most. */
    private static final int LEAST_WARM_BATCHES = 40;
    private static final int MOST_WARM_BATCHES = 100;
    /** Timed maps of each pool per rep: a warm map takes about a millisecond, and its time varies by 2× or more. */
    private static final int MAPS_PER_REP = 20;
    /** Maps of 2,000 tasks run on each pool before the clock, and timed per rep. */
    private static final int TINY_WARM_MAPS = 10;
    /** Maps whose CPU time is measured on each pool: a few seconds, so that ticks of 10 ms weigh little. */
    private static final int CPU_MAPS = 2_000;
    private static final int TINY_MAPS_PER_REP = 2;

    private ClusterBench() {
    }

    public static void main(String[] argv) throws Exception {
        Common.Args args = new Common.Args(argv, Set.of("quick"));
        boolean quick = args.flag("quick");
        int reps = args.getInt("reps", quick ? 2 : 5);
        Path dir = Files.createTempDirectory("mp4j-cluster-bench");
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        Path keyFile = Files.write(dir.resolve("authkey"), key);
        Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
        Map<String, Object> results = new LinkedHashMap<>();
        try {
            memberStart(results, keyFile, reps);
            twoMembers(results, keyFile, key, reps, quick);
            failover(results, dir, keyFile, key, quick ? 1 : 3);
        } finally {
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("reps", reps);
        Common.emit("cluster", extra, results);
    }

    // ---- members -----------------------------------------------------------------------------------

    /** A member JVM started as a user starts one, and the time its "member ready" line took. */
    record MemberJvm(java.lang.Process process, String address, double readySeconds) implements AutoCloseable {
        @Override
        public void close() {
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static MemberJvm member(String cluster, int workers, String join, Path keyFile) throws IOException {
        String address = "127.0.0.1:" + freePort();
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "org.multiprocessing4j.cluster.Member",
                "--cluster", cluster, "--bind", address, "--workers", Integer.toString(workers),
                "--authkey-file", keyFile.toString()));
        if (join != null) {
            cmd.add("--join");
            cmd.add(join);
        }
        long t0 = System.nanoTime();
        java.lang.Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        for (String line; (line = out.readLine()) != null; ) {
            if (line.equals("member ready " + address)) {
                double s = (System.nanoTime() - t0) / 1e9;
                Thread drain = new Thread(() -> {
                    try {
                        while (out.readLine() != null) {
                            // the member says nothing more; its stdout must not fill up
                        }
                    } catch (IOException ended) {
                        // it ended
                    }
                }, "member-stdout");
                drain.setDaemon(true);
                drain.start();
                return new MemberJvm(p, address, s);
            }
        }
        p.destroyForcibly();
        throw new IllegalStateException("the member at " + address + " ended before it was ready: exit " + p.onExit().join().exitValue());
    }

    private static void memberStart(Map<String, Object> results, Path keyFile, int reps) throws Exception {
        List<Double> ready = new ArrayList<>();
        Map<String, List<Double>> mem = new LinkedHashMap<>();
        for (int r = 0; r < reps; r++) {
            try (MemberJvm m = member("bench-start-" + r + "-" + ProcessHandle.current().pid(), 2, null, keyFile)) {
                ready.add(m.readySeconds());
                Thread.sleep(2_000); // idle: what it holds once its start is over
                Map<String, Double> status = ChildRssBench.memory(m.process().pid());
                for (String k : List.of("VmRSS", "Pss", "RssAnon")) {
                    if (status.containsKey(k)) {
                        mem.computeIfAbsent(k, x -> new ArrayList<>()).add(status.get(k));
                    }
                }
                Common.log(String.format("member ready after %.2f s; idle %s", m.readySeconds(), status));
            }
        }
        results.put("member_ready_s", Common.summarize(ready, 2));
        Map<String, Object> mib = new LinkedHashMap<>();
        mem.forEach((k, v) -> mib.put(k, Common.summarize(v, 1)));
        results.put("idle_member_MiB", mib);
    }

    // ---- two members beside a local pool -----------------------------------------------------------

    static long doubler(int x) {
        return x * 2L;
    }

    /** {@code steps} steps of a compiled loop; the result depends on every one. */
    static long cpuTask(int seed, long steps) {
        long h = seed;
        for (long i = 0; i < steps; i++) {
            h = h * 6364136223846793005L + 1442695040888963407L;
            h ^= h >>> 29;
        }
        return h;
    }

    /**
     * How many steps of {@link #cpuTask} take 200 ms in this JVM, once compiled: each JDK's compiler runs the
     * loop at its own speed (JDK 25's several times faster than JDK 17's). Run in a pool's worker, as the
     * tasks are. The steps grow until a run takes 20 ms; the loop's speed is then the fastest of five more
     * runs of as many steps, by when the optimizing compiler has it (that first run may still be at an
     * earlier tier, and would calibrate tasks too short).
     */
    static long stepsFor200ms() {
        long steps = 1_000_000;
        double ms;
        while ((ms = millisOf(steps)) < 20) {
            steps *= 4;
        }
        for (int i = 0; i < 5; i++) {
            ms = Math.min(ms, millisOf(steps));
        }
        long calibrated = (long) (steps * 200 / ms);
        Common.log(String.format("cpu task: %,d steps take %.1f ms in a worker: %,d steps for 200 ms", steps, ms,
                calibrated));
        return calibrated;
    }

    private static double millisOf(long steps) {
        long t0 = System.nanoTime();
        cpuTask((int) steps, steps);
        return (System.nanoTime() - t0) / 1e6;
    }

    private static void twoMembers(Map<String, Object> results, Path keyFile, byte[] key, int reps, boolean quick)
            throws Exception {
        String name = "bench-pair-" + ProcessHandle.current().pid();
        List<Integer> items = IntStream.range(0, 10_000).boxed().toList();
        try (MemberJvm a = member(name, 1, null, keyFile); MemberJvm b = member(name, 1, a.address(), keyFile);
             Cluster cluster = Cluster.connect(name, a.address() + "," + b.address(), key)) {
            if (!cluster.awaitMembers(2, READY_TIMEOUT)) {
                throw new IllegalStateException("members: " + cluster.members());
            }
            int tasks = quick ? 4 : 12;
            Map<String, Object> map = new LinkedHashMap<>();
            Map<String, Object> tiny = new LinkedHashMap<>();
            Map<String, Object> cpu = new LinkedHashMap<>();
            cpu.put("tasks", tasks);
            // one pool at a time while they warm up: a pool's workers booting would take the other's CPU
            try (Pool remote = cluster.pool()) {
                map.put("cluster_warm_maps", warm("the cluster's pool", remote, items));
                try (Pool local = new Pool(2)) {
                    map.put("local_warm_maps", warm("the local Pool(2)", local, items));
                    List<List<Double>> ms = timeMaps(remote, local, items, 0, reps * MAPS_PER_REP);
                    map.put("cluster_ms", Common.summarize(ms.get(0), 3));
                    map.put("local_ms", Common.summarize(ms.get(1), 3));
                    Map<String, Double> cpuRemote = cpuPerMap(remote, items, List.of(a, b));
                    Map<String, Double> cpuLocal = cpuPerMap(local, items, List.of(a, b));
                    Map<String, Object> cpuMs = new LinkedHashMap<>();
                    cpuMs.put("cluster", summarizeEach(cpuRemote));
                    cpuMs.put("local", summarizeEach(cpuLocal));
                    cpuMs.put("ratio", Common.summarize(List.of(cpuRemote.get("all") / cpuLocal.get("all")), 2));
                    map.put("cpu_ms_per_map", cpuMs);
                    List<Integer> few = items.subList(0, 2_000);
                    for (int w = 0; w < TINY_WARM_MAPS; w++) {
                        remote.map(ClusterBench::doubler, few, 1);
                        local.map(ClusterBench::doubler, few, 1);
                    }
                    List<List<Double>> tinyMs = timeMaps(remote, local, few, 1, reps * TINY_MAPS_PER_REP);
                    tiny.put("cluster_ms", Common.summarize(tinyMs.get(0), 1));
                    tiny.put("local_ms", Common.summarize(tinyMs.get(1), 1));
                    long steps = local.apply(ClusterBench::stepsFor200ms);
                    cpu.put("steps_per_task", steps);
                    cpu.put("cluster_tasks_per_s", Common.summarize(cpuRates(remote, steps, tasks, quick ? 1 : 3), 2));
                    cpu.put("local_tasks_per_s", Common.summarize(cpuRates(local, steps, tasks, quick ? 1 : 3), 2));
                }
            }
            map.put("ratio", ratio(map, "cluster_ms", "local_ms"));
            tiny.put("ratio", ratio(tiny, "cluster_ms", "local_ms"));
            cpu.put("ratio", ratio(cpu, "cluster_tasks_per_s", "local_tasks_per_s"));
            results.put("map_10k", map);
            results.put("tiny_tasks", tiny);
            results.put("cpu_200ms", cpu);
        }
    }

    /**
     * The CPU time per map of {@value #CPU_MAPS} maps of {@code items} on {@code pool}, in ms, of: this JVM
     * (the driver), the {@code members}, their workers, this JVM's other children (a local pool's workers),
     * and all of them together.
     */
    private static Map<String, Double> cpuPerMap(Pool pool, List<Integer> items, List<MemberJvm> members) {
        Map<String, Set<Long>> groups = new LinkedHashMap<>();
        ProcessHandle self = ProcessHandle.current();
        Set<Long> memberPids = new HashSet<>();
        members.forEach(m -> memberPids.add(m.process().pid()));
        groups.put("driver", Set.of(self.pid()));
        groups.put("members", memberPids);
        groups.put("member_workers", new HashSet<>());
        groups.put("local_workers", new HashSet<>());
        self.children().forEach(c -> {
            if (memberPids.contains(c.pid())) {
                c.descendants().forEach(d -> groups.get("member_workers").add(d.pid()));
            } else {
                groups.get("local_workers").add(c.pid());
                c.descendants().forEach(d -> groups.get("local_workers").add(d.pid()));
            }
        });
        Map<Long, Long> before = new HashMap<>();
        groups.values().forEach(g -> g.forEach(pid -> before.put(pid, cpuTicksOrZero(pid))));
        for (int i = 0; i < CPU_MAPS; i++) {
            mapMillis(pool, items, 0);
        }
        Map<String, Double> perMap = new LinkedHashMap<>();
        double all = 0;
        for (Map.Entry<String, Set<Long>> g : groups.entrySet()) {
            long ticks = 0;
            for (long pid : g.getValue()) {
                ticks += Math.max(0, cpuTicksOrZero(pid) - before.get(pid));
            }
            double ms = ticks * 10.0 / CPU_MAPS;
            all += ms;
            perMap.put(g.getKey(), ms);
        }
        perMap.put("all", all);
        Common.log("CPU per map, ms: " + perMap);
        return perMap;
    }

    /** Each figure of {@code ms} as {@link Common#summarize} gives one. */
    private static Map<String, Object> summarizeEach(Map<String, Double> ms) {
        Map<String, Object> out = new LinkedHashMap<>();
        ms.forEach((k, v) -> out.put(k, Common.summarize(List.of(v), 3)));
        return out;
    }

    /** {@link Common#cpuTicks}, or 0 for a process that has ended (a worker replaced meanwhile). */
    private static long cpuTicksOrZero(long pid) {
        try {
            return Common.cpuTicks(pid);
        } catch (IOException | RuntimeException gone) {
            return 0;
        }
    }

    /**
     * Maps of {@code items} on {@code pool} until its workers are booted and the code of every JVM of the
     * path is compiled: in batches of {@value #WARM_BATCH}, until {@value #STEADY_BATCHES} batches in a row
     * took no less than 95 % of the best batch's median (at least {@value #LEAST_WARM_BATCHES} batches, at
     * most {@value #MOST_WARM_BATCHES}). Logs each batch's median under {@code name}, and returns how many
     * maps ran.
     */
    private static int warm(String name, Pool pool, List<Integer> items) {
        double best = Double.MAX_VALUE;
        int steady = 0;
        int batches = 0;
        List<String> curve = new ArrayList<>();
        while (batches < MOST_WARM_BATCHES && (batches < LEAST_WARM_BATCHES || steady < STEADY_BATCHES)) {
            List<Double> ms = new ArrayList<>(WARM_BATCH);
            for (int i = 0; i < WARM_BATCH; i++) {
                ms.add(mapMillis(pool, items, 0));
            }
            double median = Common.median(ms);
            curve.add(String.format("%.2f", median));
            steady = median < 0.95 * best ? 0 : steady + 1;
            best = Math.min(best, median);
            batches++;
        }
        Common.log(String.format("%s warmed with %,d maps of %,d; each batch's median, ms: %s", name,
                batches * WARM_BATCH, items.size(), curve));
        return batches * WARM_BATCH;
    }

    /**
     * {@code maps} timed maps on each pool, alternating, in chunks of {@code chunksize} (0: Python's default);
     * their times in ms, {@code remote}'s then {@code local}'s.
     */
    private static List<List<Double>> timeMaps(Pool remote, Pool local, List<Integer> items, int chunksize, int maps) {
        List<List<Double>> ms = List.of(new ArrayList<>(), new ArrayList<>());
        List<Pool> pools = List.of(remote, local);
        for (int r = 0; r < maps; r++) {
            for (int p = 0; p < 2; p++) {
                ms.get(p).add(mapMillis(pools.get(p), items, chunksize));
            }
        }
        Common.log(String.format("maps of %,d (chunksize %s), %d on each pool, alternating: cluster %s ms, local %s ms",
                items.size(), chunksize > 0 ? chunksize : "default", maps,
                ms.get(0).stream().map(x -> String.format("%.2f", x)).toList(),
                ms.get(1).stream().map(x -> String.format("%.2f", x)).toList()));
        return ms;
    }

    /** One map of {@code items} on {@code pool} in chunks of {@code chunksize} (0: Python's default), checked; its time in ms. */
    private static double mapMillis(Pool pool, List<Integer> items, int chunksize) {
        long t0 = System.nanoTime();
        List<Long> out = chunksize > 0 ? pool.map(ClusterBench::doubler, items, chunksize) : pool.map(ClusterBench::doubler, items);
        double ms = (System.nanoTime() - t0) / 1e6;
        int last = items.size() - 1;
        if (out.size() != items.size() || out.get(last) != 2L * items.get(last)) {
            throw new IllegalStateException("wrong results");
        }
        return ms;
    }

    private static List<Double> cpuRates(Pool pool, long steps, int tasks, int reps) {
        pool.map(x -> cpuTask(x, steps), List.of(1, 2), 1); // each worker compiles the loop
        List<Double> rates = new ArrayList<>();
        for (int r = 0; r < reps; r++) {
            long t0 = System.nanoTime();
            pool.map(x -> cpuTask(x, steps), IntStream.range(0, tasks).boxed().toList(), 1);
            double s = (System.nanoTime() - t0) / 1e9;
            rates.add(tasks / s);
            Common.log(String.format("%d tasks of ~200 ms on %s: %.2f s, %.2f tasks/s", tasks, pool, s, tasks / s));
        }
        return rates;
    }

    @SuppressWarnings("unchecked")
    private static double ratio(Map<String, Object> m, String a, String b) {
        double x = ((Number) ((Map<String, Object>) m.get(a)).get("median")).doubleValue();
        double y = ((Number) ((Map<String, Object>) m.get(b)).get("median")).doubleValue();
        return Common.round(x / y, 3);
    }

    // ---- failover ----------------------------------------------------------------------------------

    /** Where a task started: the member (its worker's parent) and the wall-clock time. */
    record Started(int task, long member, long atMillis) implements Serializable {
    }

    /** Leaves a marker file, then sleeps {@code seconds}: a task whose start the bench can see. */
    static Started markedSleep(String markers, int task, int seconds) throws Exception {
        ProcessHandle me = ProcessHandle.current();
        long member = me.parent().map(ProcessHandle::pid).orElse(-1L);
        Started s = new Started(task, member, System.currentTimeMillis());
        Path tmp = Files.writeString(Path.of(markers, ".tmp-" + task + "-" + member), Long.toString(s.atMillis()));
        Files.move(tmp, Path.of(markers, task + "-" + member), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        Thread.sleep(seconds * 1000L);
        return s;
    }

    private static void failover(Map<String, Object> results, Path dir, Path keyFile, byte[] key, int reps)
            throws Exception {
        List<Double> seconds = new ArrayList<>();
        for (int r = 0; r < reps; r++) {
            String name = "bench-failover-" + r + "-" + ProcessHandle.current().pid();
            Path markers = Files.createDirectories(dir.resolve("markers-" + r));
            String where = markers.toString();
            List<MemberJvm> members = new ArrayList<>();
            try {
                members.add(member(name, 1, null, keyFile));
                members.add(member(name, 1, members.get(0).address(), keyFile));
                members.add(member(name, 1, members.get(0).address(), keyFile));
                try (Cluster cluster = Cluster.connect(name, members.get(0).address(), key)) {
                    if (!cluster.awaitMembers(3, READY_TIMEOUT)) {
                        throw new IllegalStateException("members: " + cluster.members());
                    }
                    Pool pool = cluster.pool();
                    pool.map(x -> x, List.of(1, 2, 3, 4, 5, 6), 1); // every member's worker booted
                    AsyncResult<List<Started>> run = pool.mapAsync(x -> markedSleep(where, x, 3), List.of(0, 1), 1);
                    Path first = await(markers, "0-");
                    long victim = Long.parseLong(first.getFileName().toString().substring(2));
                    MemberJvm doomed = members.stream().filter(m -> m.process().pid() == victim).findFirst()
                            .orElseThrow(() -> new IllegalStateException("task 0 runs in no member of ours: " + victim));
                    doomed.process().destroyForcibly(); // SIGKILL
                    long killedAt = System.currentTimeMillis();
                    Path again = awaitOther(markers, "0-", first);
                    double s = (Long.parseLong(Files.readString(again)) - killedAt) / 1e3;
                    seconds.add(s);
                    List<Started> done = run.get();
                    if (done.size() != 2 || done.get(0).member() == victim) {
                        throw new IllegalStateException("task 0 did not run again elsewhere: " + done);
                    }
                    Common.log(String.format("kill -9 of member %d: task 0 ran again %.3f s later", victim, s));
                    pool.close();
                }
            } finally {
                for (MemberJvm m : members) {
                    m.close();
                }
            }
        }
        results.put("failover_s", Common.summarize(seconds, 3));
    }

    private static Path await(Path dir, String prefix) throws Exception {
        return awaitOther(dir, prefix, null);
    }

    /** The marker of {@code dir} starting with {@code prefix} other than {@code not}, once there (at most 60 s). */
    private static Path awaitOther(Path dir, String prefix, Path not) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            try (Stream<Path> s = Files.list(dir)) {
                var found = s.filter(p -> p.getFileName().toString().startsWith(prefix) && !p.equals(not)
                        && fileHasContent(p)).findFirst();
                if (found.isPresent()) {
                    return found.get();
                }
            }
            Thread.sleep(5);
        }
        throw new IllegalStateException("no marker " + prefix + " in " + dir + " after 60 s");
    }

    private static boolean fileHasContent(Path p) {
        try {
            return Files.size(p) > 0;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * A port free now, below the range the kernel hands out for outgoing connections and port 0 (32768 and
     * up on Linux): a port of that range, free when asked, may be some connection's by the time the member
     * binds it.
     */
    private static int freePort() throws IOException {
        java.util.Random random = new java.util.Random();
        for (int attempt = 0; ; attempt++) {
            int port = 20_000 + random.nextInt(12_000);
            try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                return s.getLocalPort();
            } catch (IOException taken) {
                if (attempt == 100) {
                    throw taken;
                }
            }
        }
    }
}
