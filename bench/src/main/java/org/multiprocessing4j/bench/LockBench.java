package org.multiprocessing4j.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import org.multiprocessing4j.Array;
import org.multiprocessing4j.Event;
import org.multiprocessing4j.Lock;
import org.multiprocessing4j.Process;
import org.multiprocessing4j.Queue;
import org.multiprocessing4j.RLock;
import org.multiprocessing4j.Semaphore;
import org.multiprocessing4j.SharedInt;
import org.multiprocessing4j.SharedLongArray;
import org.multiprocessing4j.Value;

/**
 * Locks and events across JVMs, the twin of {@code lock.py}, plus what the issue asks of events.
 *
 * <pre>
 *   java -cp multiprocessing4j-bench.jar org.multiprocessing4j.bench.LockBench [--reps 5] [--quick]
 * </pre>
 *
 * <ul>
 *   <li>{@code uncontended}: 1,000,000 × ({@code acquire(); release()}) on a {@link Lock} in one process,
 *       ns/op, after an unmeasured run for the JIT; {@code ReentrantLock} as the in-process reference (as
 *       lock.py reports {@code threading.Lock}).</li>
 *   <li>{@code contended_2proc}: 2 processes × 100,000 × ({@code lock.acquire(); v.set(v.get() + 1);
 *       lock.release()}) on {@code Value.ofInt(0)} and its {@code getLock()}; the clock runs from setting
 *       the "go" event until both processes are joined, as in lock.py (so it includes their exit); the
 *       final value is checked. {@code atomic_2proc}: the same with {@code v.incrementAndGet()}, no lock.
 *       {@code *_work_s}: the same runs timed until both have reported their last increment, without
 *       the JVMs' exit.</li>
 *   <li>{@code event_wakeup}: a child sleeps in {@code Event.await()}; the parent takes
 *       {@code System.nanoTime()} and sets the event; the child takes the time when it wakes (one clock
 *       for every process on Linux), clears the event and sends the difference back. 5 ms between rounds,
 *       so the child is asleep, not spinning, each time.</li>
 *   <li>{@code event_blocked}: 4 children blocked in {@code Event.await()} for 10 s; the CPU time they
 *       used meanwhile, all threads (utime + stime from /proc), as a share of one core, in total.</li>
 * </ul>
 */
public final class LockBench {
    private static final int UNC_OPS = 1_000_000;

    private LockBench() {
    }

    public static void main(String[] argv) throws Exception {
        Common.Args args = new Common.Args(argv, Set.of("quick"));
        boolean quick = args.flag("quick");
        int reps = args.getInt("reps", quick ? 2 : 5);
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("mp_lock_uncontended_ns_per_op", uncontended(reps));
        results.put("reentrantlock_uncontended_ns_per_op", reentrantLock(reps));
        contended(results, "contended_2proc", false, reps);
        contended(results, "atomic_2proc", true, reps);
        results.put("event_wakeup", eventWakeup(quick ? 50 : 200));
        results.put("event_blocked", eventBlocked(4, quick ? 3 : 10));
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("reps", reps);
        Common.emit("lock", extra, results);
    }

    private static Map<String, Object> uncontended(int reps) {
        List<Double> ns = new ArrayList<>();
        try (Lock lock = new Lock()) {
            loop(lock, UNC_OPS); // JIT
            for (int r = 0; r < reps; r++) {
                long t0 = System.nanoTime();
                loop(lock, UNC_OPS);
                ns.add((System.nanoTime() - t0) / (double) UNC_OPS);
                Common.log(String.format("Lock uncontended rep%d: %.1f ns/op", r, ns.get(r)));
            }
        }
        return Common.summarize(ns, 1);
    }

    private static void loop(Lock lock, int n) {
        for (int i = 0; i < n; i++) {
            lock.acquire();
            lock.release();
        }
    }

    private static Map<String, Object> reentrantLock(int reps) {
        List<Double> ns = new ArrayList<>();
        ReentrantLock lock = new ReentrantLock();
        for (int r = -1; r < reps; r++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < UNC_OPS; i++) {
                lock.lock();
                lock.unlock();
            }
            if (r >= 0) {
                ns.add((System.nanoTime() - t0) / (double) UNC_OPS);
            }
        }
        return Common.summarize(ns, 1);
    }

    private static final int INC = 100_000;

    private static void contended(Map<String, Object> results, String name, boolean atomic, int reps)
            throws Exception {
        List<Double> secs = new ArrayList<>();
        List<Double> work = new ArrayList<>();
        for (int r = -1; r < reps; r++) { // rep -1: unmeasured, for the parent's JIT
            try (SharedInt v = Value.ofInt(0); Semaphore ready = new Semaphore(0); Event go = new Event();
                 SharedLongArray done = Array.rawLongs(2)) { // not a queue: its first put would connect, ~80 ms
                List<Process> ps = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    int slot = i;
                    Process p = new Process(() -> {
                        RLock lock = v.getLock();
                        ready.release();
                        go.await();
                        if (atomic) {
                            for (int k = 0; k < INC; k++) {
                                v.incrementAndGet();
                            }
                        } else {
                            for (int k = 0; k < INC; k++) {
                                lock.acquire();
                                v.set(v.get() + 1);
                                lock.release();
                            }
                        }
                        done.set(slot, System.nanoTime());
                    });
                    p.start();
                    ps.add(p);
                }
                ready.acquire();
                ready.acquire();
                long t0 = System.nanoTime();
                go.set();
                for (Process p : ps) {
                    p.join();
                }
                double dt = (System.nanoTime() - t0) / 1e9;
                long last = Math.max(done.get(0), done.get(1));
                for (Process p : ps) {
                    if (!Integer.valueOf(0).equals(p.exitCode())) {
                        throw new AssertionError(p + " exited with " + p.exitCode());
                    }
                    p.close();
                }
                if (v.get() != 2 * INC) {
                    throw new AssertionError(name + ": final value " + v.get() + ", not " + 2 * INC);
                }
                if (r >= 0) {
                    secs.add(dt);
                    work.add((last - t0) / 1e9);
                    Common.log(String.format("%s rep%d: %.1f ms (%.1f ms until the last increment), value %d", name,
                            r, dt * 1e3, (last - t0) / 1e6, v.get()));
                }
            }
        }
        results.put(name + "_total_s", Common.summarize(secs, 4));
        results.put(name + "_ops_per_s", Common.summarize(secs.stream().map(s -> 2 * INC / s).toList(), 0));
        results.put(name + "_work_s", Common.summarize(work, 4));
        results.put(name + "_final_value_correct", true);
    }

    private static Map<String, Object> eventWakeup(int n) throws Exception {
        try (Event go = new Event(); Queue<Long> woke = new Queue<>()) {
            Process child = new Process(() -> {
                while (true) {
                    go.await();
                    long t = System.nanoTime();
                    go.clear();
                    woke.put(t);
                    if (t < 0) {
                        break;
                    }
                }
            });
            child.start();
            List<Double> us = new ArrayList<>();
            for (int i = 0; i < n + 20; i++) {
                Thread.sleep(5);
                long t0 = System.nanoTime();
                go.set();
                double latency = (woke.get() - t0) / 1e3;
                if (i >= 20) {
                    us.add(latency);
                }
            }
            child.terminate();
            child.join();
            child.close();
            double[] sorted = us.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("n", n);
            m.put("median_us", Common.round(sorted[sorted.length / 2], 1));
            m.put("p99_us", Common.round(sorted[(int) (sorted.length * 0.99)], 1));
            Common.log(String.format("Event wake-up: median %.1f us, p99 %.1f us", sorted[sorted.length / 2],
                    sorted[(int) (sorted.length * 0.99)]));
            return m;
        }
    }

    private static Map<String, Object> eventBlocked(int processes, int seconds) throws Exception {
        try (Event go = new Event(); Semaphore waiting = new Semaphore(0)) {
            List<Process> ps = new ArrayList<>();
            for (int i = 0; i < processes; i++) {
                Process p = new Process(() -> {
                    waiting.release();
                    go.await();
                });
                p.start();
                ps.add(p);
            }
            for (int i = 0; i < processes; i++) {
                waiting.acquire();
            }
            Thread.sleep(500); // past the spin, asleep
            long before = 0;
            for (Process p : ps) {
                before += Common.cpuTicks(p.pid());
            }
            long t0 = System.nanoTime();
            Thread.sleep(seconds * 1000L);
            long ticks = -before;
            for (Process p : ps) {
                ticks += Common.cpuTicks(p.pid());
            }
            double wall = (System.nanoTime() - t0) / 1e9;
            go.set();
            for (Process p : ps) {
                p.join();
                p.close();
            }
            double share = ticks / 100.0 / wall * 100; // clock ticks are 1/100 s on Linux
            Common.log(String.format("%d processes blocked on an Event: %d ticks in %.1f s = %.3f %% of a core",
                    processes, ticks, wall, share));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("processes", processes);
            m.put("seconds", Common.round(wall, 2));
            m.put("cpu_ticks", ticks);
            m.put("percent_of_core", Common.round(share, 3));
            return m;
        }
    }
}
