package org.multiprocessing4j.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The side-by-side runner: CPython's baselines ({@code shared/bench/python}) and our benchmarks, each of
 * ours in a fresh JVM per JDK, in one invocation; prints a table and the summary of issue 14's targets,
 * and writes them, with every raw result and a PNG chart of ours / CPython, to
 * {@code bench/target/bench-results/}. With {@code --load}, one busy process per core runs beside every
 * measured run (ours and CPython's).
 *
 * <pre>
 *   java -jar bench/target/multiprocessing4j-bench.jar [BENCH...] [--quick] [--load] [--jdks 17,25]
 *        [--python-bench DIR] [--python python3] [--no-python] [--child-opts "-Xmx64m ..."] [--out DIR] [--list]
 * </pre>
 *
 * To add a benchmark: write its class (it prints one JSON line last, see {@link Common#emit}), then add a
 * {@link Bench} to {@link #BENCHES} with the rows to show, each row naming where its figure is in our
 * JSON and in the CPython script's JSON; a figure with a target goes into {@link #TARGETS} as well.
 */
public final class BenchRunner {

    /** One CPython baseline invocation: a script in the python bench folder and its arguments. */
    record PyRun(String script, List<String> args, List<String> quickArgs) {
        List<String> argv(boolean quick) {
            List<String> a = new ArrayList<>(args);
            if (quick) {
                a.addAll(quickArgs);
            }
            return a;
        }

        String id(boolean quick) {
            return "python " + script + " " + String.join(" ", argv(quick));
        }
    }

    /** A CPython figure: which invocation, and the dotted path of the value in its JSON line. */
    record Ref(PyRun run, String path) {
    }

    /**
     * One line of the table. {@code ours} is the dotted path in our benchmark's JSON; a path may name a
     * number or a summary ({@code median/min/max/n}), shown as median (min–max). Null refs: no CPython
     * counterpart.
     */
    record Row(String label, String unit, String ours, Ref cpythonSpawn, Ref cpythonFork) {
    }

    /** One of our benchmarks: its main class, arguments (full run, extra ones for --quick) and rows. */
    record Bench(String name, String mainClass, List<String> args, List<String> quickArgs, String about,
                 List<Row> rows) {
    }

    // ---- the benchmarks. Adding one = a class + an entry here. ---------------------------------------

    private static Row poolRow(String label, String key) {
        return poolRow(label, key, "");
    }

    /** A pool row whose figure of ours is {@code ourPrefix + key}, beside CPython's {@code key}. */
    private static Row poolRow(String label, String key, String ourPrefix) {
        return new Row(label, "tasks/s", "results." + ourPrefix + key + ".tasks_per_s",
                new Ref(PY_POOL_SPAWN, "results." + key + ".tasks_per_s"),
                new Ref(PY_POOL_FORK, "results." + key + ".tasks_per_s"));
    }

    private static final List<String> PY_QUICK = List.of("--n", "20", "--reps", "3");
    static final PyRun PY_SPAWN_SPAWN = new PyRun("spawn.py", List.of("--method", "spawn"), PY_QUICK);
    static final PyRun PY_SPAWN_FORK = new PyRun("spawn.py", List.of("--method", "fork"), PY_QUICK);
    static final PyRun PY_PINGPONG_SPAWN = new PyRun("pingpong.py", List.of("--method", "spawn"),
            List.of("--n", "5000", "--reps", "3"));
    static final PyRun PY_PINGPONG_FORK = new PyRun("pingpong.py", List.of("--method", "fork"),
            List.of("--n", "5000", "--reps", "3"));
    private static final String PIPE_CASES = "pipe_send_int,pipe_send_1KiB,pipe_send_1MiB,pipe_bytes_8B,"
            + "pipe_bytes_1KiB,pipe_bytes_1MiB";
    static final PyRun PY_PIPE_TP_SPAWN = new PyRun("queue_tp.py", List.of("--method", "spawn", "--cases", PIPE_CASES),
            List.of("--reps", "3"));
    static final PyRun PY_PIPE_TP_FORK = new PyRun("queue_tp.py", List.of("--method", "fork", "--cases", PIPE_CASES),
            List.of("--reps", "3"));
    private static final String QUEUE_CASES = "queue_int,queue_1KiB,queue_1MiB,simplequeue_int,simplequeue_1KiB";
    static final PyRun PY_QUEUE_TP_SPAWN = new PyRun("queue_tp.py", List.of("--method", "spawn", "--cases", QUEUE_CASES),
            List.of("--reps", "2"));
    static final PyRun PY_QUEUE_TP_FORK = new PyRun("queue_tp.py", List.of("--method", "fork", "--cases", QUEUE_CASES),
            List.of("--reps", "2"));
    private static final String POOL_CASES = "pool_map_100k_default,pool_map_20k_chunk1";
    static final PyRun PY_POOL_SPAWN = new PyRun("pool.py", List.of("--method", "spawn", "--cases", POOL_CASES),
            List.of("--reps", "2"));
    static final PyRun PY_POOL_FORK = new PyRun("pool.py", List.of("--method", "fork", "--cases", POOL_CASES),
            List.of("--reps", "2"));
    static final PyRun PY_APPLY_SPAWN = new PyRun("ours/apply_rtt.py", List.of("--method", "spawn"),
            List.of("--reps", "2", "--n", "500"));
    static final PyRun PY_APPLY_FORK = new PyRun("ours/apply_rtt.py", List.of("--method", "fork"),
            List.of("--reps", "2", "--n", "500"));
    static final PyRun PY_CPU_SPAWN = new PyRun("cpu.py", List.of("--method", "spawn"), List.of("--reps", "2"));
    static final PyRun PY_CPU_FORK = new PyRun("cpu.py", List.of("--method", "fork"), List.of("--reps", "2"));
    static final PyRun PY_LOCK_SPAWN = new PyRun("lock.py", List.of("--method", "spawn"), List.of("--reps", "2"));
    static final PyRun PY_LOCK_FORK = new PyRun("lock.py", List.of("--method", "fork"), List.of("--reps", "2"));
    static final PyRun PY_EVENT_SPAWN = new PyRun("ours/event.py", List.of("--method", "spawn"),
            List.of("--n", "50", "--seconds", "3"));
    static final PyRun PY_EVENT_FORK = new PyRun("ours/event.py", List.of("--method", "fork"),
            List.of("--n", "50", "--seconds", "3"));
    static final PyRun PY_SHM_SPAWN = new PyRun("shm.py", List.of("--method", "spawn"), List.of("--reps", "2", "--mib", "20"));
    static final PyRun PY_SHM_FORK = new PyRun("shm.py", List.of("--method", "fork"), List.of("--reps", "2", "--mib", "20"));
    static final PyRun PY_MANAGER_SPAWN = new PyRun("manager.py", List.of("--method", "spawn"),
            List.of("--reps", "2", "--n", "2000"));
    static final PyRun PY_MANAGER_FORK = new PyRun("manager.py", List.of("--method", "fork"),
            List.of("--reps", "2", "--n", "2000"));
    static final PyRun PY_MEMORY = new PyRun("memory.py", List.of("--methods", "fork,spawn"), List.of("--reps", "3"));

    static final List<Bench> BENCHES = List.of(
            new Bench("spawn", SpawnBench.class.getName(), List.of("--method", "spawn"), List.of("--quick"),
                    "Process start()+join(), trivial target, N sequential processes per rep",
                    List.of(
                            new Row("start()+join(), median of rep medians", "ms", "results.spawn.per_process_ms",
                                    new Ref(PY_SPAWN_SPAWN, "results.spawn.per_process_ms"),
                                    new Ref(PY_SPAWN_FORK, "results.fork.per_process_ms")),
                            new Row("start()+join(), mean of rep means", "ms", "results.spawn.per_process_mean_ms",
                                    new Ref(PY_SPAWN_SPAWN, "results.spawn.per_process_mean_ms"),
                                    new Ref(PY_SPAWN_FORK, "results.fork.per_process_mean_ms")),
                            new Row("first process (cold, before warm-up)", "ms", "results.spawn.first_process_ms",
                                    new Ref(PY_SPAWN_SPAWN, "results.spawn.first_process_ms"),
                                    new Ref(PY_SPAWN_FORK, "results.fork.first_process_ms")),
                            new Row("start() returns", "ms", "results.spawn.start_returns_ms", null, null),
                            new Row("the floor: a bare JVM, empty main, ProcessBuilder start()+waitFor()", "ms",
                                    "results.spawn.bare_jvm_ms",
                                    new Ref(PY_SPAWN_SPAWN, "results.spawn.per_process_ms"),
                                    new Ref(PY_SPAWN_FORK, "results.fork.per_process_ms")),
                            new Row("the floor with the children's start-up options", "ms",
                                    "results.spawn.bare_jvm_lean_ms",
                                    new Ref(PY_SPAWN_SPAWN, "results.spawn.per_process_ms"),
                                    new Ref(PY_SPAWN_FORK, "results.fork.per_process_ms")))),
            new Bench("forkserver", SpawnBench.class.getName(), List.of("--method", "forkserver"), List.of("--quick"),
                    "the same with the forkserver start method: a spare JVM, booted ahead, takes each process",
                    List.of(
                            new Row("start()+join(), median of rep medians", "ms", "results.forkserver.per_process_ms",
                                    new Ref(PY_SPAWN_SPAWN, "results.spawn.per_process_ms"),
                                    new Ref(PY_SPAWN_FORK, "results.fork.per_process_ms")),
                            new Row("start()+join(), mean of rep means", "ms", "results.forkserver.per_process_mean_ms",
                                    new Ref(PY_SPAWN_SPAWN, "results.spawn.per_process_mean_ms"),
                                    new Ref(PY_SPAWN_FORK, "results.fork.per_process_mean_ms")),
                            new Row("start() returns", "ms", "results.forkserver.start_returns_ms", null, null))),
            new Bench("pipe", PipeBench.class.getName(), List.of(), List.of("--quick"),
                    "Pipe: round trip parent <-> child (pingpong.py), one-way throughput child -> parent (queue_tp.py);"
                            + " for msgs/s and MB/s a ratio above 1 is ours faster",
                    List.of(
                            new Row("pipe_obj round trip, median", "µs", "results.pipe_obj.rtt_median_us",
                                    new Ref(PY_PINGPONG_SPAWN, "results.pipe_obj.rtt_median_us"),
                                    new Ref(PY_PINGPONG_FORK, "results.pipe_obj.rtt_median_us")),
                            new Row("pipe_obj round trip, p99", "µs", "results.pipe_obj.rtt_p99_us",
                                    new Ref(PY_PINGPONG_SPAWN, "results.pipe_obj.rtt_p99_us"),
                                    new Ref(PY_PINGPONG_FORK, "results.pipe_obj.rtt_p99_us")),
                            new Row("pipe_bytes 8 B round trip, median", "µs", "results.pipe_bytes.rtt_median_us",
                                    new Ref(PY_PINGPONG_SPAWN, "results.pipe_bytes.rtt_median_us"),
                                    new Ref(PY_PINGPONG_FORK, "results.pipe_bytes.rtt_median_us")),
                            new Row("pipe_send_int one-way", "msgs/s", "results.pipe_send_int.msgs_per_s",
                                    new Ref(PY_PIPE_TP_SPAWN, "results.pipe_send_int.msgs_per_s"),
                                    new Ref(PY_PIPE_TP_FORK, "results.pipe_send_int.msgs_per_s")),
                            new Row("pipe_send_1KiB one-way", "msgs/s", "results.pipe_send_1KiB.msgs_per_s",
                                    new Ref(PY_PIPE_TP_SPAWN, "results.pipe_send_1KiB.msgs_per_s"),
                                    new Ref(PY_PIPE_TP_FORK, "results.pipe_send_1KiB.msgs_per_s")),
                            new Row("pipe_send_1MiB one-way", "MB/s", "results.pipe_send_1MiB.MB_per_s",
                                    new Ref(PY_PIPE_TP_SPAWN, "results.pipe_send_1MiB.MB_per_s"),
                                    new Ref(PY_PIPE_TP_FORK, "results.pipe_send_1MiB.MB_per_s")),
                            new Row("pipe_bytes_8B one-way", "msgs/s", "results.pipe_bytes_8B.msgs_per_s",
                                    new Ref(PY_PIPE_TP_SPAWN, "results.pipe_bytes_8B.msgs_per_s"),
                                    new Ref(PY_PIPE_TP_FORK, "results.pipe_bytes_8B.msgs_per_s")),
                            new Row("pipe_bytes_1KiB one-way", "msgs/s", "results.pipe_bytes_1KiB.msgs_per_s",
                                    new Ref(PY_PIPE_TP_SPAWN, "results.pipe_bytes_1KiB.msgs_per_s"),
                                    new Ref(PY_PIPE_TP_FORK, "results.pipe_bytes_1KiB.msgs_per_s")),
                            new Row("pipe_bytes_1MiB one-way", "MB/s", "results.pipe_bytes_1MiB.MB_per_s",
                                    new Ref(PY_PIPE_TP_SPAWN, "results.pipe_bytes_1MiB.MB_per_s"),
                                    new Ref(PY_PIPE_TP_FORK, "results.pipe_bytes_1MiB.MB_per_s")))),
            new Bench("queue", QueueBench.class.getName(), List.of(), List.of("--quick"),
                    "Queue and SimpleQueue: one-way throughput child -> parent (queue_tp.py); a blocked consumer",
                    List.of(
                            new Row("queue_int one-way", "msgs/s", "results.queue_int.msgs_per_s",
                                    new Ref(PY_QUEUE_TP_SPAWN, "results.queue_int.msgs_per_s"),
                                    new Ref(PY_QUEUE_TP_FORK, "results.queue_int.msgs_per_s")),
                            new Row("queue_1KiB one-way", "msgs/s", "results.queue_1KiB.msgs_per_s",
                                    new Ref(PY_QUEUE_TP_SPAWN, "results.queue_1KiB.msgs_per_s"),
                                    new Ref(PY_QUEUE_TP_FORK, "results.queue_1KiB.msgs_per_s")),
                            new Row("queue_1MiB one-way", "MB/s", "results.queue_1MiB.MB_per_s",
                                    new Ref(PY_QUEUE_TP_SPAWN, "results.queue_1MiB.MB_per_s"),
                                    new Ref(PY_QUEUE_TP_FORK, "results.queue_1MiB.MB_per_s")),
                            new Row("simplequeue_int one-way", "msgs/s", "results.simplequeue_int.msgs_per_s",
                                    new Ref(PY_QUEUE_TP_SPAWN, "results.simplequeue_int.msgs_per_s"),
                                    new Ref(PY_QUEUE_TP_FORK, "results.simplequeue_int.msgs_per_s")),
                            new Row("simplequeue_1KiB one-way", "msgs/s", "results.simplequeue_1KiB.msgs_per_s",
                                    new Ref(PY_QUEUE_TP_SPAWN, "results.simplequeue_1KiB.msgs_per_s"),
                                    new Ref(PY_QUEUE_TP_FORK, "results.simplequeue_1KiB.msgs_per_s")),
                            new Row("queue_int get in a child (no CPython twin)", "msgs/s",
                                    "results.queue_int_get_in_child.msgs_per_s", null, null),
                            new Row("10 KiB strings, child -> parent (no CPython twin)", "MB/s",
                                    "results.queue_str_10KiB.MB_per_s", null, null),
                            new Row("100 KiB strings, child -> parent (no CPython twin)", "MB/s",
                                    "results.queue_str_100KiB.MB_per_s", null, null),
                            new Row("10 KiB strings, child -> child (no CPython twin)", "MB/s",
                                    "results.queue_str_10KiB_child_to_child.MB_per_s", null, null),
                            new Row("100 KiB strings, child -> child (no CPython twin)", "MB/s",
                                    "results.queue_str_100KiB_child_to_child.MB_per_s", null, null),
                            new Row("records (path, 10 KiB text), child -> parent (no CPython twin)", "MB/s",
                                    "results.queue_doc_10KiB.MB_per_s", null, null),
                            new Row("records (path, 100 KiB text), child -> parent (no CPython twin)", "MB/s",
                                    "results.queue_doc_100KiB.MB_per_s", null, null),
                            new Row("consumer blocked 10 s on an empty queue", "% core",
                                    "results.blocked_consumer.percent_of_core", null, null),
                            new Row("wake-up after a put from another JVM, median", "µs",
                                    "results.wakeup.median_us", null, null),
                            new Row("wake-up after a put from another JVM, p99", "µs",
                                    "results.wakeup.p99_us", null, null))),
            new Bench("pool", PoolBench.class.getName(), List.of(), List.of("--quick"),
                    "Pool(2).map of x -> 2x (warm: pool started and used once; total: incl. new Pool(2)); CPU-bound speed-up",
                    List.of(
                            poolRow("map 100,000, default chunks, warm", "pool_map_100k_default_warm"),
                            poolRow("map 100,000, default chunks, incl. start-up", "pool_map_100k_default_total"),
                            poolRow("map 20,000, chunksize 1, warm", "pool_map_20k_chunk1_warm"),
                            poolRow("map 20,000, chunksize 1, incl. start-up", "pool_map_20k_chunk1_total"),
                            new Row("map 100,000, default chunks, incl. start-up", "s",
                                    "results.pool_map_100k_default_total.seconds",
                                    new Ref(PY_POOL_SPAWN, "results.pool_map_100k_default_total.seconds"),
                                    new Ref(PY_POOL_FORK, "results.pool_map_100k_default_total.seconds")),
                            new Row("map 100,000, default chunks, incl. start-up, a new program per rep", "s",
                                    "results.pool_map_100k_fresh_program.seconds",
                                    new Ref(PY_POOL_SPAWN, "results.pool_map_100k_default_total.seconds"),
                                    new Ref(PY_POOL_FORK, "results.pool_map_100k_default_total.seconds")),
                            poolRow("forkserver: map 100,000, default chunks, warm", "pool_map_100k_default_warm",
                                    "forkserver_"),
                            poolRow("forkserver: map 100,000, default chunks, incl. start-up",
                                    "pool_map_100k_default_total", "forkserver_"),
                            poolRow("forkserver: map 20,000, chunksize 1, warm", "pool_map_20k_chunk1_warm",
                                    "forkserver_"),
                            new Row("forkserver: map 100,000, default chunks, incl. start-up", "s",
                                    "results.forkserver_pool_map_100k_default_total.seconds",
                                    new Ref(PY_POOL_SPAWN, "results.pool_map_100k_default_total.seconds"),
                                    new Ref(PY_POOL_FORK, "results.pool_map_100k_default_total.seconds")),
                            new Row("apply round trip, warm pool, median", "µs", "results.apply_rtt_us",
                                    new Ref(PY_APPLY_SPAWN, "results.apply_rtt_us"),
                                    new Ref(PY_APPLY_FORK, "results.apply_rtt_us")),
                            new Row("CPU-bound 8 jobs: serial in one process", "s", "results.cpu.serial_s",
                                    new Ref(PY_CPU_SPAWN, "results.serial_s"), new Ref(PY_CPU_FORK, "results.serial_s")),
                            new Row("CPU-bound 8 jobs: speed-up of Pool(2) over serial", "x", "results.cpu.speedup",
                                    new Ref(PY_CPU_SPAWN, "results.speedup"), new Ref(PY_CPU_FORK, "results.speedup")),
                            new Row("CPU-bound, jobs 100x bigger: serial", "s", "results.cpu_200m.serial_s",
                                    new Ref(PY_CPU_SPAWN, "results.serial_s"), new Ref(PY_CPU_FORK, "results.serial_s")),
                            new Row("CPU-bound, jobs 100x bigger: speed-up of Pool(2)", "x", "results.cpu_200m.speedup",
                                    new Ref(PY_CPU_SPAWN, "results.speedup"), new Ref(PY_CPU_FORK, "results.speedup")),
                            new Row("CPU-bound, jobs 100x bigger: speed-up, second map (warm workers)", "x",
                                    "results.cpu_200m.speedup_warm_workers",
                                    new Ref(PY_CPU_SPAWN, "results.speedup"), new Ref(PY_CPU_FORK, "results.speedup")))),
            new Bench("lock", LockBench.class.getName(), List.of(), List.of("--quick"),
                    "Lock uncontended and contended across 2 processes (lock.py); Event wake-up and idle waiters",
                    List.of(
                            new Row("Lock acquire+release, uncontended", "ns/op",
                                    "results.mp_lock_uncontended_ns_per_op",
                                    new Ref(PY_LOCK_SPAWN, "results.mp_lock_uncontended_ns_per_op"),
                                    new Ref(PY_LOCK_FORK, "results.mp_lock_uncontended_ns_per_op")),
                            new Row("2 procs x 100,000 increments under the value's lock", "ops/s",
                                    "results.contended_2proc_ops_per_s",
                                    new Ref(PY_LOCK_SPAWN, "results.contended_2proc_ops_per_s"),
                                    new Ref(PY_LOCK_FORK, "results.contended_2proc_ops_per_s")),
                            new Row("the same, until the last increment (without the JVMs' exit)", "s",
                                    "results.contended_2proc_work_s", null, null),
                            new Row("2 procs x 100,000 atomic incrementAndGet, no lock", "ops/s",
                                    "results.atomic_2proc_ops_per_s",
                                    new Ref(PY_LOCK_SPAWN, "results.contended_2proc_ops_per_s"),
                                    new Ref(PY_LOCK_FORK, "results.contended_2proc_ops_per_s")),
                            new Row("Event set -> waiter in another process awake, median", "µs",
                                    "results.event_wakeup.median_us",
                                    new Ref(PY_EVENT_SPAWN, "results.event_wakeup.median_us"),
                                    new Ref(PY_EVENT_FORK, "results.event_wakeup.median_us")),
                            new Row("Event set -> waiter awake, p99", "µs", "results.event_wakeup.p99_us",
                                    new Ref(PY_EVENT_SPAWN, "results.event_wakeup.p99_us"),
                                    new Ref(PY_EVENT_FORK, "results.event_wakeup.p99_us")),
                            new Row("4 processes blocked on an Event, CPU in total", "% core",
                                    "results.event_blocked.percent_of_core",
                                    new Ref(PY_EVENT_SPAWN, "results.event_blocked.percent_of_core"),
                                    new Ref(PY_EVENT_FORK, "results.event_blocked.percent_of_core")))),
            new Bench("shm", ShmBench.class.getName(), List.of(), List.of("--quick"),
                    "SharedMemory 100 MiB: a child fills it, the parent checksums and copies it (shm.py); GB/s",
                    List.of(
                            new Row("create", "ms", "results.create_ms",
                                    new Ref(PY_SHM_SPAWN, "results.create_ms"), new Ref(PY_SHM_FORK, "results.create_ms")),
                            new Row("child write, 1 MiB slices, first touch", "GB/s", "results.child_write_GB_per_s",
                                    new Ref(PY_SHM_SPAWN, "results.child_write_GB_per_s"),
                                    new Ref(PY_SHM_FORK, "results.child_write_GB_per_s")),
                            new Row("parent crc32 over the segment", "GB/s", "results.parent_crc32_GB_per_s",
                                    new Ref(PY_SHM_SPAWN, "results.parent_crc32_GB_per_s"),
                                    new Ref(PY_SHM_FORK, "results.parent_crc32_GB_per_s")),
                            new Row("parent copy into a private buffer", "GB/s", "results.parent_memcpy_read_GB_per_s",
                                    new Ref(PY_SHM_SPAWN, "results.parent_memcpy_read_GB_per_s"),
                                    new Ref(PY_SHM_FORK, "results.parent_memcpy_read_GB_per_s")),
                            new Row("end to end: create+start+write+join+crc32", "ms", "results.end_to_end_ms",
                                    new Ref(PY_SHM_SPAWN, "results.end_to_end_ms"),
                                    new Ref(PY_SHM_FORK, "results.end_to_end_ms")))),
            new Bench("programs", ProgramsBench.class.getName(), List.of(), List.of("--quick"),
                    "three programs in Python and ported to Java, whole processes, CPython (its default, fork)"
                            + " and ours alternated; tree RSS: peak of the summed VmRSS of the process and its descendants",
                    List.of(
                            new Row("word frequencies, CPython (same runs)", "s", "results.word_freq.cpython_s", null, null),
                            new Row("word frequencies, ours", "s", "results.word_freq.ours_s", null, null),
                            new Row("word frequencies, ours / CPython time", "×", "results.word_freq.time_ratio", null, null),
                            new Row("word frequencies, tree RSS, CPython", "MiB", "results.word_freq.cpython_tree_MiB",
                                    null, null),
                            new Row("word frequencies, tree RSS, ours", "MiB", "results.word_freq.ours_tree_MiB", null, null),
                            new Row("pipeline, CPython (same runs)", "s", "results.pipeline.cpython_s", null, null),
                            new Row("pipeline, ours", "s", "results.pipeline.ours_s", null, null),
                            new Row("pipeline, ours / CPython time", "×", "results.pipeline.time_ratio", null, null),
                            new Row("pipeline, tree RSS, CPython", "MiB", "results.pipeline.cpython_tree_MiB", null, null),
                            new Row("pipeline, tree RSS, ours", "MiB", "results.pipeline.ours_tree_MiB", null, null),
                            new Row("Monte Carlo, CPython (same runs)", "s", "results.monte_carlo.cpython_s", null, null),
                            new Row("Monte Carlo, ours", "s", "results.monte_carlo.ours_s", null, null),
                            new Row("Monte Carlo, ours serially in one JVM", "s", "results.monte_carlo.ours_serial_s",
                                    null, null),
                            new Row("Monte Carlo, ours / CPython time", "×", "results.monte_carlo.time_ratio", null, null),
                            new Row("Monte Carlo, tree RSS, CPython", "MiB", "results.monte_carlo.cpython_tree_MiB",
                                    null, null),
                            new Row("Monte Carlo, tree RSS, ours", "MiB", "results.monte_carlo.ours_tree_MiB", null, null))),
            new Bench("rss", ChildRssBench.class.getName(), List.of("--method", "spawn"), List.of("--quick"),
                    "idle child, 1 s after it runs user code, vs. an idle CPython Pool worker (memory.py)",
                    List.of(
                            new Row("idle child VmRSS", "MiB", "results.spawn.idle_child_MiB.VmRSS",
                                    new Ref(PY_MEMORY, "results.pool_worker_spawn_MiB.VmRSS"),
                                    new Ref(PY_MEMORY, "results.pool_worker_fork_MiB.VmRSS")),
                            new Row("idle child VmHWM (peak)", "MiB", "results.spawn.idle_child_MiB.VmHWM",
                                    new Ref(PY_MEMORY, "results.pool_worker_spawn_MiB.VmHWM"),
                                    new Ref(PY_MEMORY, "results.pool_worker_fork_MiB.VmHWM")),
                            new Row("idle child Pss", "MiB", "results.spawn.idle_child_MiB.Pss",
                                    new Ref(PY_MEMORY, "results.pool_worker_spawn_MiB.Pss"),
                                    new Ref(PY_MEMORY, "results.pool_worker_fork_MiB.Pss")),
                            new Row("start() to user code running", "ms", "results.spawn.ready_ms", null, null))),
            new Bench("spare", SpareBench.class.getName(), List.of(), List.of("--quick"),
                    "what an idle forkserver spare costs (default 2 spares), beside an idle CPython Pool worker (memory.py)",
                    List.of(
                            new Row("idle forkserver spare VmRSS", "MiB", "results.spare_MiB.VmRSS",
                                    new Ref(PY_MEMORY, "results.pool_worker_spawn_MiB.VmRSS"),
                                    new Ref(PY_MEMORY, "results.pool_worker_fork_MiB.VmRSS")),
                            new Row("idle forkserver spare Pss", "MiB", "results.spare_MiB.Pss",
                                    new Ref(PY_MEMORY, "results.pool_worker_spawn_MiB.Pss"),
                                    new Ref(PY_MEMORY, "results.pool_worker_fork_MiB.Pss")),
                            new Row("idle forkserver spare RssAnon (its own pages)", "MiB", "results.spare_MiB.RssAnon",
                                    null, null),
                            new Row("idle forkserver spare CPU while it waits", "% core",
                                    "results.spare_cpu_percent_of_core", null, null),
                            new Row("spares booted, warmed and idle after getContext(\"forkserver\")", "s",
                                    "results.spares_ready_s", null, null))),
            new Bench("manager", ManagerBench.class.getName(), List.of(), List.of("--quick"),
                    "Manager: a child does N x (d.put(i, i); d.get(i)) on a managed dict (manager.py)",
                    List.of(
                            new Row("dict put+get pairs from a child", "pairs/s", "results.set_get_pairs_per_s",
                                    new Ref(PY_MANAGER_SPAWN, "results.set_get_pairs_per_s"),
                                    new Ref(PY_MANAGER_FORK, "results.set_get_pairs_per_s")),
                            new Row("dict proxy calls from a new child", "calls/s", "results.proxy_calls_per_s",
                                    new Ref(PY_MANAGER_SPAWN, "results.proxy_calls_per_s"),
                                    new Ref(PY_MANAGER_FORK, "results.proxy_calls_per_s")),
                            new Row("proxy call (one round trip)", "µs", "results.us_per_proxy_call",
                                    new Ref(PY_MANAGER_SPAWN, "results.us_per_proxy_call"),
                                    new Ref(PY_MANAGER_FORK, "results.us_per_proxy_call")),
                            new Row("proxy call, the same child again (warm)", "µs", "results.warm_us_per_proxy_call",
                                    new Ref(PY_MANAGER_SPAWN, "results.us_per_proxy_call"),
                                    new Ref(PY_MANAGER_FORK, "results.us_per_proxy_call")),
                            new Row("Manager start-up", "ms", "results.manager_start_ms",
                                    new Ref(PY_MANAGER_SPAWN, "results.manager_start_ms"),
                                    new Ref(PY_MANAGER_FORK, "results.manager_start_ms")))),
            new Bench("cluster", ClusterBench.class.getName(), List.of(), List.of("--quick"),
                    "the Pool on a cluster of members on loopback (each started as java ... Member), beside a local"
                            + " Pool(2) in the same run; no CPython twin",
                    List.of(
                            new Row("member start until \"member ready\" (--workers 2)", "s",
                                    "results.member_ready_s", null, null),
                            new Row("idle member VmRSS (no pool open)", "MiB", "results.idle_member_MiB.VmRSS", null, null),
                            new Row("idle member Pss", "MiB", "results.idle_member_MiB.Pss", null, null),
                            new Row("maps of 10,000 run until the cluster's map time was steady", "maps",
                                    "results.map_10k.cluster_warm_maps", null, null),
                            new Row("maps of 10,000 run until the local Pool(2)'s map time was steady", "maps",
                                    "results.map_10k.local_warm_maps", null, null),
                            new Row("map of 10,000 trivial items, 2 members x 1 worker, warm", "ms",
                                    "results.map_10k.cluster_ms", null, null),
                            new Row("the same map on a warm local Pool(2)", "ms", "results.map_10k.local_ms", null, null),
                            new Row("map of 10,000: cluster / local time", "×", "results.map_10k.ratio", null, null),
                            new Row("CPU per map of 10,000 on the cluster, all its JVMs", "ms",
                                    "results.map_10k.cpu_ms_per_map.cluster.all", null, null),
                            new Row("… of which the driver (cluster)", "ms",
                                    "results.map_10k.cpu_ms_per_map.cluster.driver", null, null),
                            new Row("… of which the two members", "ms",
                                    "results.map_10k.cpu_ms_per_map.cluster.members", null, null),
                            new Row("… of which the members' workers", "ms",
                                    "results.map_10k.cpu_ms_per_map.cluster.member_workers", null, null),
                            new Row("CPU per map of 10,000 on the local Pool(2), all its JVMs", "ms",
                                    "results.map_10k.cpu_ms_per_map.local.all", null, null),
                            new Row("… of which the driver (local)", "ms",
                                    "results.map_10k.cpu_ms_per_map.local.driver", null, null),
                            new Row("… of which its workers (local)", "ms",
                                    "results.map_10k.cpu_ms_per_map.local.local_workers", null, null),
                            new Row("CPU per map of 10,000: cluster / local", "×", "results.map_10k.cpu_ms_per_map.ratio",
                                    null, null),
                            new Row("map of 2,000 tiny tasks (chunksize 1), 2 members x 1 worker", "ms",
                                    "results.tiny_tasks.cluster_ms", null, null),
                            new Row("the same 2,000 tasks on the local Pool(2)", "ms", "results.tiny_tasks.local_ms", null, null),
                            new Row("2,000 tiny tasks: cluster / local time", "×", "results.tiny_tasks.ratio", null, null),
                            new Row("~200 ms CPU tasks, 2 members x 1 worker", "tasks/s",
                                    "results.cpu_200ms.cluster_tasks_per_s", null, null),
                            new Row("~200 ms CPU tasks, local Pool(2)", "tasks/s", "results.cpu_200ms.local_tasks_per_s",
                                    null, null),
                            new Row("~200 ms CPU tasks: cluster / local throughput", "×", "results.cpu_200ms.ratio",
                                    null, null),
                            new Row("kill -9 of a member until its task runs on another", "s", "results.failover_s",
                                    null, null))));

    // ---- issue 14's targets ---------------------------------------------------------------------------

    /** How a target reads: on the ratio ours / CPython (at most / at least), or on our own figure. */
    enum Goal {
        /** A time or a size: ours / CPython at most the target (below 1 is faster or smaller). */
        RATIO_AT_MOST("≤ %s× CPython"),
        /** A rate: ours / CPython at least the target. */
        RATIO_AT_LEAST("≥ %s× CPython"),
        /** Our own figure at least the target (a speed-up, a rate). */
        VALUE_AT_LEAST("≥ %s"),
        /** Our own figure at most the target (a ratio the benchmark measured itself, alternating runs). */
        VALUE_AT_MOST("≤ %s");

        private final String format;

        Goal(String format) {
            this.format = format;
        }

        String describe(double target) {
            return format.formatted(num(target));
        }
    }

    /**
     * One line of issue 14's table: which benchmark and figure of ours, its CPython twin (CPython
     * {@code spawn} where the issue says so, the script's default, {@code fork}, elsewhere), and the target.
     * {@code load}: a target for runs under {@code --load}; the others are shown for runs without it.
     */
    record Target(String label, String bench, String ours, Ref cpython, Goal goal, double target, boolean load) {
    }

    static final List<Target> TARGETS = List.of(
            new Target("start()+join() of a trivial process, time (spawn.py, spawn)", "spawn",
                    "results.spawn.per_process_ms", new Ref(PY_SPAWN_SPAWN, "results.spawn.per_process_ms"),
                    Goal.RATIO_AT_MOST, 1.0, false),
            new Target("new Pool(2) + map of 100,000 in a new program, time (pool.py, spawn)", "pool",
                    "results.pool_map_100k_fresh_program.seconds",
                    new Ref(PY_POOL_SPAWN, "results.pool_map_100k_default_total.seconds"), Goal.RATIO_AT_MOST, 1.0, false),
            new Target("the same map on a pool that ran 1,000 items, tasks/s (pool.py, spawn)", "pool",
                    "results.pool_map_100k_default_warm.tasks_per_s",
                    new Ref(PY_POOL_SPAWN, "results.pool_map_100k_default_warm.tasks_per_s"), Goal.RATIO_AT_LEAST, 3.0,
                    false),
            new Target("20,000 items, chunksize=1, on that pool, tasks/s (pool.py, spawn)", "pool",
                    "results.pool_map_20k_chunk1_warm.tasks_per_s",
                    new Ref(PY_POOL_SPAWN, "results.pool_map_20k_chunk1_warm.tasks_per_s"), Goal.RATIO_AT_LEAST, 5.0,
                    false),
            new Target("cpu.py: 8 jobs, Pool(2) speed-up over serial, new pool", "pool", "results.cpu.speedup",
                    new Ref(PY_CPU_FORK, "results.speedup"), Goal.VALUE_AT_LEAST, 1.8, false),
            new Target("the same, jobs 100x bigger (as long as CPython's), new pool", "pool",
                    "results.cpu_200m.speedup", new Ref(PY_CPU_FORK, "results.speedup"), Goal.VALUE_AT_LEAST, 1.8, false),
            new Target("manager.py: dict proxy calls/s from a new child", "manager", "results.proxy_calls_per_s",
                    new Ref(PY_MANAGER_FORK, "results.proxy_calls_per_s"), Goal.RATIO_AT_LEAST, 2.0, false),
            new Target("queue_tp.py: small ints, msgs/s, child -> parent", "queue", "results.queue_int.msgs_per_s",
                    new Ref(PY_QUEUE_TP_FORK, "results.queue_int.msgs_per_s"), Goal.RATIO_AT_LEAST, 10.0, false),
            new Target("queue_tp.py: 1 KiB, msgs/s, child -> parent", "queue", "results.queue_1KiB.msgs_per_s",
                    new Ref(PY_QUEUE_TP_FORK, "results.queue_1KiB.msgs_per_s"), Goal.RATIO_AT_LEAST, 5.0, false),
            new Target("lock.py: 2 procs x 100,000 locked increments incl. exit, ops/s", "lock",
                    "results.contended_2proc_ops_per_s", new Ref(PY_LOCK_FORK, "results.contended_2proc_ops_per_s"),
                    Goal.RATIO_AT_LEAST, 3.0, false),
            new Target("shm.py: 100 MiB create + child write + join + CRC, time", "shm", "results.end_to_end_ms",
                    new Ref(PY_SHM_FORK, "results.end_to_end_ms"), Goal.RATIO_AT_MOST, 1.0, false),
            new Target("idle child VmRSS (memory.py: idle spawn Pool worker)", "rss",
                    "results.spawn.idle_child_MiB.VmRSS", new Ref(PY_MEMORY, "results.pool_worker_spawn_MiB.VmRSS"),
                    Goal.RATIO_AT_MOST, 2.0, false),
            new Target("under load: pipe round trip, median (pingpong.py)", "pipe", "results.pipe_obj.rtt_median_us",
                    new Ref(PY_PINGPONG_FORK, "results.pipe_obj.rtt_median_us"), Goal.RATIO_AT_MOST, 1.0, true),
            new Target("under load: queue small ints, msgs/s (queue_tp.py)", "queue", "results.queue_int.msgs_per_s",
                    new Ref(PY_QUEUE_TP_FORK, "results.queue_int.msgs_per_s"), Goal.RATIO_AT_LEAST, 10.0, true),
            new Target("under load: queue 1 KiB, msgs/s (queue_tp.py)", "queue", "results.queue_1KiB.msgs_per_s",
                    new Ref(PY_QUEUE_TP_FORK, "results.queue_1KiB.msgs_per_s"), Goal.RATIO_AT_LEAST, 5.0, true),
            new Target("under load: 2 procs x 100,000 locked increments incl. exit, ops/s (lock.py)", "lock",
                    "results.contended_2proc_ops_per_s", new Ref(PY_LOCK_FORK, "results.contended_2proc_ops_per_s"),
                    Goal.RATIO_AT_LEAST, 3.0, true),
            new Target("issue 15: word frequencies, ours / CPython wall time (programs)", "programs",
                    "results.word_freq.time_ratio", null, Goal.VALUE_AT_MOST, 1.0, false),
            new Target("issue 15: pipeline, ours / CPython wall time (programs)", "programs",
                    "results.pipeline.time_ratio", null, Goal.VALUE_AT_MOST, 1.0, false),
            new Target("issue 15: Monte Carlo, ours / CPython wall time (programs)", "programs",
                    "results.monte_carlo.time_ratio", null, Goal.VALUE_AT_MOST, 0.5, false),
            new Target("issue 15: Monte Carlo, Pool(2) / serial Java wall time (programs)", "programs",
                    "results.monte_carlo.vs_serial_ratio", null, Goal.VALUE_AT_MOST, 1.5, false),
            new Target("issue 15: word frequencies, tree RSS ours / CPython (programs)", "programs",
                    "results.word_freq.tree_ratio", null, Goal.VALUE_AT_MOST, 3.0, false),
            new Target("issue 15: pipeline, tree RSS ours / CPython (programs)", "programs",
                    "results.pipeline.tree_ratio", null, Goal.VALUE_AT_MOST, 3.0, false),
            new Target("issue 15: Monte Carlo, tree RSS ours / CPython (programs)", "programs",
                    "results.monte_carlo.tree_ratio", null, Goal.VALUE_AT_MOST, 3.0, false),
            new Target("issue 15: 10 KiB strings through a Queue, child -> parent, MB/s", "queue",
                    "results.queue_str_10KiB.MB_per_s", null, Goal.VALUE_AT_LEAST, 500, false),
            new Target("issue 15: 100 KiB strings through a Queue, child -> parent, MB/s", "queue",
                    "results.queue_str_100KiB.MB_per_s", null, Goal.VALUE_AT_LEAST, 500, false),
            new Target("issue 15: 10 KiB strings through a Queue, child -> child, MB/s", "queue",
                    "results.queue_str_10KiB_child_to_child.MB_per_s", null, Goal.VALUE_AT_LEAST, 500, false),
            new Target("issue 15: 100 KiB strings through a Queue, child -> child, MB/s", "queue",
                    "results.queue_str_100KiB_child_to_child.MB_per_s", null, Goal.VALUE_AT_LEAST, 500, false),
            new Target("issue 16: member start until \"member ready\", 2 workers, s (cluster)", "cluster",
                    "results.member_ready_s", null, Goal.VALUE_AT_MOST, 3.0, false),
            new Target("issue 16: map of 10,000 trivial items, 2 members x 1 worker / warm local Pool(2) (cluster)",
                    "cluster", "results.map_10k.ratio", null, Goal.VALUE_AT_MOST, 2.0, false),
            new Target("issue 16: 200 ms CPU tasks, cluster / local Pool throughput, same workers (cluster)", "cluster",
                    "results.cpu_200ms.ratio", null, Goal.VALUE_AT_LEAST, 0.9, false),
            new Target("issue 16: kill -9 of a member until its task runs elsewhere, s (5 s detection + 2) (cluster)",
                    "cluster", "results.failover_s", null, Goal.VALUE_AT_MOST, 7.0, false));

    /** What {@code --load} runs when no benchmark is named: the ones with targets under load. */
    static final List<String> LOAD_BENCHES = List.of("pipe", "queue", "lock");

    // ---- where things are --------------------------------------------------------------------------

    private static final List<String> JDK17_CANDIDATES = List.of("/usr/lib/jvm/java-17-openjdk-amd64/bin/java");
    private static final List<String> JDK25_CANDIDATES = List.of("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");
    private static final long RUN_TIMEOUT_MINUTES = 15;
    private static final PrintStream LOG = System.err;

    private final Common.Args args;
    private final boolean quick;
    /** Per whole run (see {@code --runs}): PyRun id -> JSON (or null). */
    private final List<Map<String, Object>> pythonResults = new ArrayList<>();
    private final List<Map<String, Object>> runs = new ArrayList<>();

    private final boolean load;
    private final int wholeRuns;

    private BenchRunner(Common.Args args) {
        this.args = args;
        this.quick = args.flag("quick");
        this.load = args.flag("load");
        this.wholeRuns = wholeRuns(args);
    }

    private static int wholeRuns(Common.Args args) {
        String v = args.get("runs", "1");
        try {
            int n = Integer.parseInt(v);
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalArgumentException("--runs wants a whole number of at least 1, not " + v);
    }

    public static void main(String[] argv) throws Exception {
        Common.Args args;
        try {
            args = new Common.Args(argv, Set.of("quick", "no-python", "list", "help", "load"));
            select(args.positional());
            parseJdks(args.get("jdks", "17,25"));
            wholeRuns(args);
        } catch (IllegalArgumentException e) {
            LOG.println(e.getMessage());
            usage();
            System.exit(2);
            return;
        }
        if (args.flag("help")) {
            usage();
            return;
        }
        if (args.flag("list")) {
            for (Bench b : BENCHES) {
                System.out.println(b.name() + ": " + b.about());
                for (Row r : b.rows()) {
                    System.out.println("    " + r.label() + " [" + r.unit() + "]");
                }
            }
            System.out.println("targets of issues 14, 15 and 16 (the summary table; 'under load' ones with --load):");
            for (Target t : TARGETS) {
                System.out.println("    " + t.bench() + ": " + t.label() + " [" + t.goal().describe(t.target()) + "]");
            }
            return;
        }
        System.exit(new BenchRunner(args).run());
    }

    private static void usage() {
        LOG.println("""
                usage: BenchRunner [BENCH...] [--quick] [--load] [--jdks 17,25] [--python-bench DIR] [--python EXE]
                                   [--no-python] [--child-opts "JVM OPTIONS"] [--runs N] [--out DIR] [--list]
                  BENCH         one or more of: %s (default: all; with --load: %s)
                  --quick       fewer processes and reps, for a smoke run
                  --load        one busy process per core runs beside every measured run, ours and CPython's
                  --jdks        which JDKs run our benchmarks (env JAVA17 / JAVA25 override where they are)
                  --python-bench  the CPython baseline scripts (default: <repo>/../shared/bench/python)
                  --no-python   skip the CPython baselines
                  --child-opts  JVM options for the child JVMs (-Dmultiprocessing4j.jvmOptions)
                  --runs        run everything N times, one whole pass after another; each cell is then the
                                median of the passes' medians (min–max of those medians)
                  --out         where results go (default: bench/target/bench-results)""".formatted(
                String.join(", ", BENCHES.stream().map(Bench::name).toList()), String.join(", ", LOAD_BENCHES)));
    }

    private int run() throws Exception {
        List<Bench> selected = select(args.positional().isEmpty() && load ? LOAD_BENCHES : args.positional());
        List<Path> classPath = ownClassPath();
        Path repo = repoRoot();
        Map<Integer, Path> jdks = findJdks(parseJdks(args.get("jdks", "17,25")));
        Path pythonDir = pythonDir(repo);
        String python = args.get("python", System.getenv().getOrDefault("PYTHON", "python3"));
        Path out = args.names().contains("out") ? Path.of(args.get("out", "")).toAbsolutePath()
                : resultsDir(repo);

        String started = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss"));
        String loadBefore = loadAverage();
        long t0 = System.nanoTime();
        LOG.println("benchmarks: " + selected.stream().map(Bench::name).toList() + (quick ? " (quick)" : ""));
        jdks.forEach((feature, java) -> LOG.println("JDK " + feature + ": " + (java == null ? "not found" : java)));
        LOG.println("CPython baselines: " + (pythonDir == null ? "skipped" : pythonDir));
        LOG.println("load average: " + loadBefore);
        if (load) {
            LOG.println("under load: " + Load.PROCESSES + " busy processes (" + String.join(" ", Load.COMMAND)
                    + ") run beside every measured run");
        }

        List<Map<String, Map<Integer, Object>>> passes = new ArrayList<>(); // per pass: bench -> jdk -> JSON
        for (int pass = 0; pass < wholeRuns; pass++) {
            if (wholeRuns > 1) {
                LOG.println();
                LOG.println("==== pass " + (pass + 1) + " of " + wholeRuns);
            }
            passes.add(measurePass(selected, jdks, classPath, repo, pythonDir, python));
        }
        double minutes = (System.nanoTime() - t0) / 60e9;
        String loadAfter = loadAverage();

        List<Integer> jdkColumns = new ArrayList<>(jdks.keySet());
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Bench b : selected) {
            for (Row r : b.rows()) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("bench", b.name());
                row.put("label", r.label());
                row.put("unit", r.unit());
                Map<String, Object> o = new LinkedHashMap<>();
                for (int jdk : jdkColumns) {
                    o.put("jdk" + jdk, ours(passes, b.name(), jdk, r.ours()));
                }
                row.put("ours", o);
                row.put("cpython_spawn", cpython(r.cpythonSpawn()));
                row.put("cpython_fork", cpython(r.cpythonFork()));
                rows.add(row);
            }
        }

        String table = table(rows, jdkColumns);
        List<Target> targets = TARGETS.stream().filter(t -> t.load() == load)
                .filter(t -> selected.stream().anyMatch(b -> b.name().equals(t.bench()))).toList();
        List<Map<String, Object>> targetRows = targetRows(targets, passes, jdkColumns);
        StringBuilder md = new StringBuilder();
        md.append("# multiprocessing4j vs. CPython multiprocessing\n\n");
        md.append("Run ").append(started).append(quick ? " (--quick)" : "")
                .append(wholeRuns > 1 ? " (" + wholeRuns + " whole passes)" : "").append(", ")
                .append(String.format(Locale.ROOT, "%.1f min", minutes)).append("; ")
                .append(Runtime.getRuntime().availableProcessors()).append(" CPUs, kernel ")
                .append(System.getProperty("os.version")).append("; load average before ")
                .append(loadBefore).append(", after ").append(loadAfter).append(".\n\n");
        if (load) {
            md.append("**Under load**: ").append(Load.PROCESSES).append(" busy processes (`")
                    .append(String.join(" ", Load.COMMAND))
                    .append("`, one per core) were started before and stopped after every measured run, ours and"
                            + " CPython's alike.\n\n");
        }
        md.append(table).append('\n');
        md.append(wholeRuns > 1 ? "Cells: the median of the " + wholeRuns + " passes' medians (min–max of those medians)."
                + " Within a pass, a figure is the median over reps, or over children for memory. " :
                "Cells: median (min–max) over reps, or over children for memory. ");
        md.append("Ratios: ours / CPython, from the medians: "
                + "for times and memory below 1 means ours is faster or smaller; for rates (msgs/s, MB/s) above 1 "
                + "means ours is faster. Throughput rows run one unmeasured warm-up first (the parent JVM's JIT); "
                + "every run starts a new, cold child JVM.\n\n");
        if (!targetRows.isEmpty()) {
            md.append("## targets of issues 14, 15 and 16").append(load ? " (under load)" : "").append("\n\n");
            md.append(targetsTable(targetRows, jdkColumns)).append('\n');
            md.append("Ratio: ours / CPython from the medians (a time: below 1 is faster; a rate: above 1 is faster);"
                    + " a target with no CPython column is on our own figure (issue 15's programs measure their"
                    + " ratio to CPython themselves, alternating whole runs). CPython's twin is `spawn` where the issue says so,"
                    + " else the script's default (`fork`). The chart, when CPython ran: `latest.png` beside this file.\n\n");
        }
        for (int jdk : jdkColumns) {
            md.append("- JDK ").append(jdk).append(": ").append(describeJdk(jdks.get(jdk), passes.get(0))).append('\n');
        }
        Object anyPy = pythonResults.get(0).values().stream().filter(v -> v != null).findFirst().orElse(null);
        if (anyPy != null) {
            md.append("- CPython: ").append(Json.at(anyPy, "machine.python")).append(" (")
                    .append(pythonDir).append(")\n");
        }
        String childOpts = args.get("child-opts", null);
        if (childOpts != null) {
            md.append("- child JVM options: `").append(childOpts).append("`\n");
        }
        for (Map<String, Object> run : runs) {
            md.append("- `").append(run.get("name")).append("`: ")
                    .append(String.format(Locale.ROOT, "%.1f s", (Double) run.get("seconds")))
                    .append(run.get("ok").equals(Boolean.TRUE) ? "" : ", FAILED (exit " + run.get("exit") + ")")
                    .append('\n');
        }

        System.out.println();
        System.out.println(md);

        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("started", started);
        doc.put("quick", quick);
        doc.put("passes", wholeRuns);
        doc.put("minutes", Common.round(minutes, 2));
        doc.put("load_average_before", loadBefore);
        doc.put("load_average_after", loadAfter);
        doc.put("runner_machine", Common.machine());
        Map<String, Object> jdkPaths = new LinkedHashMap<>();
        jdks.forEach((k, v) -> jdkPaths.put("jdk" + k, v == null ? null : v.toString()));
        doc.put("jdks", jdkPaths);
        doc.put("python_bench", pythonDir == null ? null : pythonDir.toString());
        doc.put("child_opts", childOpts);
        doc.put("load", load ? Load.PROCESSES + " x " + String.join(" ", Load.COMMAND) : null);
        doc.put("rows", rows);
        doc.put("targets", targetRows); // issues 14 and 15
        doc.put("runs", runs);
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        try {
            Files.createDirectories(out);
            Files.writeString(out.resolve("bench-" + stamp + ".json"), Json.pretty(doc));
            Files.writeString(out.resolve("bench-" + stamp + ".md"), md);
            Files.writeString(out.resolve("latest.json"), Json.pretty(doc));
            Files.writeString(out.resolve("latest.md"), md);
            LOG.println("results written to " + out.resolve("bench-" + stamp + ".{json,md}") + " (and latest.*)");
        } catch (IOException e) {
            LOG.println("cannot write results to " + out + ": " + e);
        }
        chart(rows, targetRows, jdkColumns, started + (quick ? " (--quick)" : "") + (load ? ", under load" : ""), List.of(out.resolve("bench-" + stamp + ".png"),
                out.resolve("latest.png")));
        return runs.stream().allMatch(r -> r.get("ok").equals(Boolean.TRUE)) ? 0 : 1;
    }

    /** One whole pass: CPython's baselines and our benchmarks, each once; returns ours, bench -> jdk -> JSON. */
    private Map<String, Map<Integer, Object>> measurePass(List<Bench> selected, Map<Integer, Path> jdks,
            List<Path> classPath, Path repo, Path pythonDir, String python) throws InterruptedException {
        Map<String, Object> pythonPass = new LinkedHashMap<>();
        pythonResults.add(pythonPass);
        Map<String, Map<Integer, Object>> ours = new LinkedHashMap<>(); // bench -> jdk -> JSON
        for (Bench b : selected) {
            if (pythonDir != null) {
                List<Ref> refs = new ArrayList<>();
                for (Row r : b.rows()) {
                    refs.add(r.cpythonSpawn());
                    refs.add(r.cpythonFork());
                }
                for (Target t : TARGETS) {
                    if (t.bench().equals(b.name())) {
                        refs.add(t.cpython());
                    }
                }
                for (Ref ref : refs) {
                    if (ref != null && !pythonPass.containsKey(ref.run().id(quick))) {
                        List<String> cmd = new ArrayList<>(List.of(python, script(repo, pythonDir, ref.run().script())));
                        cmd.addAll(ref.run().argv(quick));
                        pythonPass.put(ref.run().id(quick), measure("cpython " + ref.run().script() + " "
                                + String.join(" ", ref.run().args()), cmd, pythonDir));
                    }
                }
            }
            Map<Integer, Object> perJdk = new LinkedHashMap<>();
            for (Map.Entry<Integer, Path> jdk : jdks.entrySet()) {
                if (jdk.getValue() == null) {
                    continue;
                }
                List<String> cmd = new ArrayList<>();
                cmd.add(jdk.getValue().toString());
                String childOpts = args.get("child-opts", null);
                if (childOpts != null) {
                    cmd.add("-Dmultiprocessing4j.jvmOptions=" + childOpts);
                }
                cmd.add("-cp");
                cmd.add(String.join(java.io.File.pathSeparator, classPath.stream().map(Path::toString).toList()));
                cmd.add(b.mainClass());
                cmd.addAll(b.args());
                if (quick) {
                    cmd.addAll(b.quickArgs());
                }
                perJdk.put(jdk.getKey(), measure(b.name() + " jdk" + jdk.getKey(), cmd, repo != null ? repo : Path.of(".")));
            }
            ours.put(b.name(), perJdk);
        }
        return ours;
    }

    /** Per target: the CPython figure, and per JDK our figure, the ratio ours / CPython and whether it is met. */
    private List<Map<String, Object>> targetRows(List<Target> targets, List<Map<String, Map<Integer, Object>>> passes,
                                                 List<Integer> jdks) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Target t : targets) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("label", t.label());
            row.put("target", t.goal().describe(t.target()));
            row.put("cpython_twin", t.cpython() == null ? null : t.cpython().run().id(quick));
            Object cp = t.cpython() == null ? null : cpython(t.cpython());
            row.put("cpython", cp);
            Double c = median(cp);
            for (int jdk : jdks) {
                Object v = ours(passes, t.bench(), jdk, t.ours());
                Double o = median(v);
                Double ratio = o == null || c == null || c == 0 ? null : o / c;
                Boolean met = switch (t.goal()) {
                    case RATIO_AT_MOST -> ratio == null ? null : ratio <= t.target();
                    case RATIO_AT_LEAST -> ratio == null ? null : ratio >= t.target();
                    case VALUE_AT_LEAST -> o == null ? null : o >= t.target();
                    case VALUE_AT_MOST -> o == null ? null : o <= t.target();
                };
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("ours", v);
                m.put("ratio", ratio == null ? null : Common.round(ratio, 3));
                m.put("met", met);
                row.put("jdk" + jdk, m);
            }
            out.add(row);
        }
        return out;
    }

    private static String targetsTable(List<Map<String, Object>> targetRows, List<Integer> jdks) {
        List<String> header = new ArrayList<>(List.of("row", "target", "CPython"));
        for (int jdk : jdks) {
            header.addAll(List.of("ours JDK " + jdk, "ratio " + jdk, "met? " + jdk));
        }
        List<List<String>> cells = new ArrayList<>();
        for (Map<String, Object> row : targetRows) {
            List<String> c = new ArrayList<>(List.of((String) row.get("label"), (String) row.get("target"),
                    cell(row.get("cpython"))));
            for (int jdk : jdks) {
                Map<?, ?> m = (Map<?, ?>) row.get("jdk" + jdk);
                c.add(cell(m.get("ours")));
                c.add(m.get("ratio") instanceof Double r ? String.format(Locale.ROOT, "%.2f", r) : "—");
                c.add(m.get("met") instanceof Boolean b ? (b ? "yes" : "**no**") : "—");
            }
            cells.add(c);
        }
        return render(header, cells);
    }

    /**
     * The PNG chart: issue 14's rows first (ratio as the issue gives it, against the twin it names), then
     * every row of the main table with a CPython figure (against CPython spawn, else fork).
     */
    private static void chart(List<Map<String, Object>> rows, List<Map<String, Object>> targetRows, List<Integer> jdks,
                              String started, List<Path> files) {
        List<BenchChart.Bar> bars = new ArrayList<>();
        for (Map<String, Object> row : targetRows) {
            Map<Integer, Double> ratios = new LinkedHashMap<>();
            for (int jdk : jdks) {
                ratios.put(jdk, ((Map<?, ?>) row.get("jdk" + jdk)).get("ratio") instanceof Double r ? r : null);
            }
            bars.add(new BenchChart.Bar((((String) row.get("label")).startsWith("issue ") ? "" : "issue 14: ")
                    + row.get("label") + " [" + row.get("target") + "]", ratios));
        }
        for (Map<String, Object> row : rows) {
            boolean spawn = median(row.get("cpython_spawn")) != null;
            Double c = median(row.get(spawn ? "cpython_spawn" : "cpython_fork"));
            if (c == null || c == 0) {
                continue;
            }
            Map<Integer, Double> ratios = new LinkedHashMap<>();
            Map<?, ?> o = (Map<?, ?>) row.get("ours");
            for (int jdk : jdks) {
                Double v = median(o.get("jdk" + jdk));
                ratios.put(jdk, v == null ? null : v / c);
            }
            bars.add(new BenchChart.Bar(row.get("bench") + ": " + row.get("label") + " [" + row.get("unit") + "]"
                    + (spawn ? "" : " vs fork"), ratios));
        }
        bars.removeIf(b -> b.ratios().values().stream().allMatch(r -> r == null));
        if (bars.isEmpty()) {
            LOG.println("no chart: no row has both our figure and CPython's");
            for (Path f : files) { // no older chart left to pass for this run's
                try {
                    Files.deleteIfExists(f);
                } catch (IOException e) {
                    LOG.println("cannot remove " + f + ": " + e);
                }
            }
            return;
        }
        try {
            BenchChart.write("multiprocessing4j / CPython, " + started, bars, jdks, files);
            LOG.println("chart written to " + files);
        } catch (IOException | RuntimeException | Error e) {
            LOG.println("cannot write the chart: " + e);
        }
    }

    /** Runs one measured command, under load if {@code --load} was given. */
    private Object measure(String name, List<String> cmd, Path dir) throws InterruptedException {
        if (!load) {
            return runJson(name, cmd, dir);
        }
        Load l = Load.start();
        try {
            return runJson(name + " (under load)", cmd, dir);
        } finally {
            l.close();
        }
    }

    /**
     * One busy process per core ({@code /bin/sh} spinning in a loop), started before a measured run and
     * stopped after it; a shutdown hook stops them if the runner is ended in between.
     */
    static final class Load implements AutoCloseable {
        static final int PROCESSES = Runtime.getRuntime().availableProcessors();
        static final List<String> COMMAND = List.of("/bin/sh", "-c", "while :; do :; done");

        private final List<java.lang.Process> spinners = new ArrayList<>();
        private final Thread hook = new Thread(this::stop, "load-stop");

        static Load start() {
            Load l = new Load();
            Runtime.getRuntime().addShutdownHook(l.hook);
            try {
                for (int i = 0; i < PROCESSES; i++) {
                    l.spinners.add(new ProcessBuilder(COMMAND).redirectErrorStream(true)
                            .redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
                }
            } catch (IOException e) {
                l.close();
                throw new IllegalStateException("cannot start the load: " + e, e);
            }
            return l;
        }

        private void stop() {
            for (java.lang.Process p : spinners) {
                p.destroyForcibly();
            }
            for (java.lang.Process p : spinners) {
                try {
                    p.waitFor();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }

        @Override
        public void close() {
            stop();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway
            }
        }
    }

    private Object cpython(Ref ref) {
        if (ref == null) {
            return null;
        }
        List<Object> perPass = new ArrayList<>();
        for (Map<String, Object> pass : pythonResults) {
            Object json = pass.get(ref.run().id(quick));
            perPass.add(json == null ? null : Json.at(json, ref.path()));
        }
        return acrossPasses(perPass);
    }

    /** Our figure at {@code path} of bench {@code bench} on {@code jdk}, across the passes. */
    private static Object ours(List<Map<String, Map<Integer, Object>>> passes, String bench, int jdk, String path) {
        List<Object> perPass = new ArrayList<>();
        for (Map<String, Map<Integer, Object>> pass : passes) {
            Map<Integer, Object> perJdk = pass.get(bench);
            Object json = perJdk == null ? null : perJdk.get(jdk);
            perPass.add(json == null ? null : Json.at(json, path));
        }
        return acrossPasses(perPass);
    }

    /**
     * One pass: its figure as it is. Several: the median of the passes' medians, with the least and the
     * greatest of them, and how many passes had the figure; null if none had it.
     */
    static Object acrossPasses(List<Object> perPass) {
        if (perPass.size() == 1) {
            return perPass.get(0);
        }
        List<Double> medians = new ArrayList<>();
        for (Object v : perPass) {
            Double m = median(v);
            if (m != null) {
                medians.add(m);
            }
        }
        if (medians.isEmpty()) {
            return null;
        }
        Collections.sort(medians);
        int n = medians.size();
        double med = n % 2 == 1 ? medians.get(n / 2) : (medians.get(n / 2 - 1) + medians.get(n / 2)) / 2;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("median", med);
        m.put("min", medians.get(0));
        m.put("max", medians.get(n - 1));
        m.put("n", (double) n);
        m.put("passes", medians);
        return m;
    }

    // ---- running one benchmark process ---------------------------------------------------------------

    /** Runs a command whose last stdout line is JSON; echoes its output on stderr; null on failure. */
    private Object runJson(String name, List<String> cmd, Path dir) throws InterruptedException {
        LOG.println();
        LOG.println("== " + name + ": " + String.join(" ", cmd));
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("name", name);
        record.put("command", cmd);
        long t0 = System.nanoTime();
        Object json = null;
        int exit = -1;
        String lastLine = null;
        try {
            java.lang.Process p = new ProcessBuilder(cmd).directory(dir.toFile()).start();
            p.getOutputStream().close();
            Thread err = pump(p.getErrorStream(), name, null);
            List<String> lines = new ArrayList<>();
            Thread outPump = pump(p.getInputStream(), name, lines);
            if (!p.waitFor(RUN_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                LOG.println("== " + name + ": no result after " + RUN_TIMEOUT_MINUTES + " min; killing it");
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor();
            }
            exit = p.exitValue();
            outPump.join(10_000);
            err.join(10_000);
            synchronized (lines) {
                for (int i = lines.size() - 1; i >= 0 && lastLine == null; i--) {
                    if (lines.get(i).startsWith("{")) {
                        lastLine = lines.get(i);
                    }
                }
            }
            if (lastLine != null) {
                json = Json.parse(lastLine);
            }
        } catch (IOException | IllegalArgumentException e) {
            LOG.println("== " + name + ": " + e);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        boolean ok = exit == 0 && json != null;
        LOG.println(String.format(Locale.ROOT, "== %s: %s in %.1f s", name,
                ok ? "done" : "FAILED (exit " + exit + (json == null ? ", no JSON line" : "") + ")", seconds));
        record.put("exit", exit);
        record.put("ok", ok);
        record.put("seconds", Common.round(seconds, 2));
        record.put("result", json);
        runs.add(record);
        return ok ? json : null;
    }

    /** Copies a stream to stderr line by line, prefixed; keeps the lines if {@code keep} is given. */
    private static Thread pump(InputStream in, String name, List<String> keep) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (keep != null) {
                        synchronized (keep) {
                            keep.add(line);
                        }
                    }
                    if (keep == null || !line.startsWith("{")) {
                        LOG.println("   [" + name + "] " + line);
                    }
                }
            } catch (IOException ignored) {
                // the process is gone
            }
        }, "pump-" + name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    // ---- the table -----------------------------------------------------------------------------------

    private static String table(List<Map<String, Object>> rows, List<Integer> jdks) {
        List<String> header = new ArrayList<>(List.of("benchmark", "unit"));
        for (int jdk : jdks) {
            header.add("ours JDK " + jdk);
        }
        header.add("CPython spawn");
        header.add("CPython fork");
        String versions = String.join(" / ", jdks.stream().map(String::valueOf).toList());
        header.add("ours/CPython spawn (" + versions + ")");
        header.add("ours/CPython fork (" + versions + ")");

        List<List<String>> cells = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            List<String> c = new ArrayList<>();
            c.add(row.get("bench") + ": " + row.get("label"));
            c.add((String) row.get("unit"));
            @SuppressWarnings("unchecked")
            Map<String, Object> ours = (Map<String, Object>) row.get("ours");
            for (int jdk : jdks) {
                c.add(cell(ours.get("jdk" + jdk)));
            }
            c.add(cell(row.get("cpython_spawn")));
            c.add(cell(row.get("cpython_fork")));
            for (String base : new String[] {"cpython_spawn", "cpython_fork"}) {
                Double b = median(row.get(base));
                List<String> ratios = new ArrayList<>();
                for (int jdk : jdks) {
                    Double v = median(ours.get("jdk" + jdk));
                    ratios.add(v == null || b == null || b == 0 ? "—" : String.format(Locale.ROOT, "%.2f", v / b));
                }
                c.add(b == null ? "—" : String.join(" / ", ratios));
            }
            cells.add(c);
        }

        return render(header, cells);
    }

    private static String render(List<String> header, List<List<String>> cells) {
        int[] width = new int[header.size()];
        for (int i = 0; i < header.size(); i++) {
            width[i] = header.get(i).length();
            for (List<String> c : cells) {
                width[i] = Math.max(width[i], c.get(i).length());
            }
        }
        StringBuilder sb = new StringBuilder();
        line(sb, header, width);
        List<String> rule = new ArrayList<>();
        for (int w : width) {
            rule.add("-".repeat(w));
        }
        line(sb, rule, width);
        for (List<String> c : cells) {
            line(sb, c, width);
        }
        return sb.toString();
    }

    private static void line(StringBuilder sb, List<String> cells, int[] width) {
        sb.append('|');
        for (int i = 0; i < cells.size(); i++) {
            String s = cells.get(i);
            boolean left = i < 2;
            String pad = " ".repeat(width[i] - s.length());
            sb.append(' ').append(left ? s + pad : pad + s).append(" |");
        }
        sb.append('\n');
    }

    private static String cell(Object v) {
        if (v == null) {
            return "—";
        }
        if (v instanceof Map<?, ?> m && m.get("median") instanceof Double med) {
            Object lo = m.get("min");
            Object hi = m.get("max");
            if (lo instanceof Double l && hi instanceof Double h && !(l.equals(med) && h.equals(med))) {
                return num(med) + " (" + num(l) + "–" + num(h) + ")";
            }
            return num(med);
        }
        if (v instanceof Double d) {
            return num(d);
        }
        return String.valueOf(v);
    }

    private static Double median(Object v) {
        if (v instanceof Double d) {
            return d;
        }
        if (v instanceof Map<?, ?> m && m.get("median") instanceof Double d) {
            return d;
        }
        return null;
    }

    private static String num(double d) {
        double a = Math.abs(d);
        if (a >= 10_000) {
            return String.format(Locale.ROOT, "%,.0f", d);
        }
        if (a >= 10) {
            return String.format(Locale.ROOT, "%.1f", d);
        }
        return String.format(Locale.ROOT, "%.2f", d);
    }

    // ---- finding the pieces --------------------------------------------------------------------------

    private static List<Bench> select(List<String> names) {
        if (names.isEmpty()) {
            return BENCHES;
        }
        List<Bench> out = new ArrayList<>();
        for (String n : names) {
            Bench b = BENCHES.stream().filter(x -> x.name().equals(n)).findFirst().orElseThrow(() ->
                    new IllegalArgumentException("unknown benchmark '" + n + "'; known: "
                            + BENCHES.stream().map(Bench::name).toList()));
            if (!out.contains(b)) {
                out.add(b);
            }
        }
        return out;
    }

    /** This JVM's class path, absolute: what our benchmark JVMs run with (the jar brings lib/ along). */
    private static List<Path> ownClassPath() {
        List<Path> out = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            if (!e.isEmpty()) {
                out.add(Path.of(e).toAbsolutePath().normalize());
            }
        }
        return out;
    }

    private static Path codeLocation() {
        try {
            return Path.of(BenchRunner.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException | RuntimeException e) {
            return null;
        }
    }

    /** The repository root: the first directory up from here, or from our jar, with pom.xml, core/ and bench/. */
    private static Path repoRoot() {
        List<Path> starts = new ArrayList<>();
        starts.add(Path.of("").toAbsolutePath());
        Path code = codeLocation();
        if (code != null) {
            starts.add(code);
        }
        for (Path start : starts) {
            for (Path d = start; d != null; d = d.getParent()) {
                if (Files.isRegularFile(d.resolve("pom.xml")) && Files.isDirectory(d.resolve("core"))
                        && Files.isDirectory(d.resolve("bench"))) {
                    return d;
                }
            }
        }
        return null;
    }

    /**
     * Where a CPython script is: in the shared baselines, or, named {@code ours/<file>}, in this repository's
     * {@code bench/python} (twins of cases the baselines lack; they run from the shared directory too).
     */
    private static String script(Path repo, Path pythonDir, String name) {
        return name.startsWith(OURS) && repo != null
                ? repo.resolve("bench/python").resolve(name.substring(OURS.length())).toString()
                : pythonDir.resolve(name).toString();
    }

    private static final String OURS = "ours/";

    private Path pythonDir(Path repo) {
        if (args.flag("no-python")) {
            return null;
        }
        String given = args.get("python-bench", null);
        Path dir = given != null ? Path.of(given).toAbsolutePath().normalize()
                : repo == null ? null : repo.resolve("../shared/bench/python").normalize();
        if (dir == null || !Files.isRegularFile(dir.resolve("spawn.py"))) {
            LOG.println("warning: no CPython baseline scripts at " + dir + "; use --python-bench DIR."
                    + " Running without the CPython columns.");
            return null;
        }
        return dir;
    }

    private static Path resultsDir(Path repo) {
        Path code = codeLocation();
        if (code != null && code.toString().endsWith(".jar")) {
            return code.getParent().resolve("bench-results");
        }
        if (repo != null) {
            return repo.resolve("bench/target/bench-results");
        }
        return Path.of("bench-results").toAbsolutePath();
    }

    private static Set<Integer> parseJdks(String list) {
        Set<Integer> out = new LinkedHashSet<>();
        for (String s : list.split(",")) {
            if (!s.isBlank()) {
                out.add(Integer.parseInt(s.trim()));
            }
        }
        return out;
    }

    /** For each wanted feature version, a java executable: env JAVA&lt;N&gt;, this JVM, or a known place. */
    private static Map<Integer, Path> findJdks(Set<Integer> wanted) {
        Map<Integer, Path> found = new LinkedHashMap<>();
        List<Path> candidates = new ArrayList<>();
        candidates.add(Path.of(System.getProperty("java.home"), "bin", "java"));
        for (String c : JDK17_CANDIDATES) {
            candidates.add(Path.of(c));
        }
        for (String c : JDK25_CANDIDATES) {
            candidates.add(Path.of(c));
        }
        for (int feature : wanted) {
            String env = System.getenv("JAVA" + feature);
            Path java = null;
            if (env != null && !env.isBlank()) {
                java = Path.of(env);
                if (Files.isDirectory(java)) {
                    java = java.resolve("bin/java");
                }
                if (!Files.isExecutable(java)) {
                    LOG.println("warning: JAVA" + feature + "=" + env + " is not an executable java");
                    java = null;
                }
            } else {
                for (Path c : candidates) {
                    if (Files.isExecutable(c) && featureVersion(c) == feature) {
                        java = c;
                        break;
                    }
                }
            }
            found.put(feature, java);
        }
        return found;
    }

    private static final Pattern RELEASE_VERSION = Pattern.compile("^JAVA_VERSION=\"(\\d+)", Pattern.MULTILINE);
    private static final Pattern VERSION_OUTPUT = Pattern.compile("version \"(\\d+)");

    /** The feature version of a java executable, from its home's release file or {@code java -version}. */
    static int featureVersion(Path java) {
        try {
            Path release = java.toRealPath().getParent().getParent().resolve("release");
            if (Files.isRegularFile(release)) {
                Matcher m = RELEASE_VERSION.matcher(Files.readString(release));
                if (m.find()) {
                    return Integer.parseInt(m.group(1));
                }
            }
            java.lang.Process p = new ProcessBuilder(java.toString(), "-version").redirectErrorStream(true).start();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            Matcher m = VERSION_OUTPUT.matcher(text);
            return m.find() ? Integer.parseInt(m.group(1)) : -1;
        } catch (IOException | InterruptedException | RuntimeException e) {
            return -1;
        }
    }

    private static String describeJdk(Path java, Map<String, Map<Integer, Object>> ours) {
        if (java == null) {
            return "not found (set JAVA17 / JAVA25)";
        }
        for (Map<Integer, Object> perJdk : ours.values()) {
            for (Object json : perJdk.values()) {
                Object home = Json.at(json, "machine.java_home");
                if (home != null && java.startsWith(Path.of(home.toString()))) {
                    return Json.at(json, "machine.vm") + " (" + java + ")";
                }
            }
        }
        return java.toString();
    }

    private static String loadAverage() {
        try {
            String[] w = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return String.join(" ", Arrays.asList(w).subList(0, 3));
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }
}
