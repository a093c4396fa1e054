package org.multiprocessing4j.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.multiprocessing4j.Connection;
import org.multiprocessing4j.Pipe;
import org.multiprocessing4j.Process;

/**
 * {@code Pipe} between the parent and a child, twin of {@code pingpong.py} (the pipe rows) and the pipe
 * cases of {@code queue_tp.py}.
 *
 * <pre>
 *   java -cp multiprocessing4j-bench.jar org.multiprocessing4j.bench.PipeBench [--n 20000] [--reps 5] [--quick]
 * </pre>
 *
 * <ul>
 *   <li>{@code pipe_obj}, {@code pipe_bytes}: round trip of {@code send(12345)}/{@code recv()}, and of
 *       8 bytes with {@code sendBytes}/{@code recvBytes}, to a child that echoes; 2,000 warm-up round
 *       trips, then N timed one by one per rep; per rep the median, mean and p99 (µs).</li>
 *   <li>{@code pipe_send_int}, {@code pipe_send_1KiB}, {@code pipe_send_1MiB}, {@code pipe_bytes_8B},
 *       {@code pipe_bytes_1KiB}, {@code pipe_bytes_1MiB}: one-way throughput child to parent. The child
 *       builds its payload, says it is ready and waits for "go"; the parent starts the clock, sends "go"
 *       and receives all N items; the clock stops at the last one (msgs/s, MB/s with MB = 1e6 bytes).</li>
 * </ul>
 */
public final class PipeBench {
    private static final int KIB = 1024;
    private static final int MIB = 1024 * 1024;

    /** name, send kind, payload size (0: an int), N. */
    private record Case(String name, boolean bytes, int size, int n) {
    }

    private static final List<Case> CASES = List.of(
            new Case("pipe_send_int", false, 0, 200_000),
            new Case("pipe_send_1KiB", false, KIB, 100_000),
            new Case("pipe_send_1MiB", false, MIB, 500),
            new Case("pipe_bytes_8B", true, 8, 200_000),
            new Case("pipe_bytes_1KiB", true, KIB, 100_000),
            new Case("pipe_bytes_1MiB", true, MIB, 500));

    private PipeBench() {
    }

    public static void main(String[] argv) {
        Common.Args args = new Common.Args(argv, Set.of("quick"));
        boolean quick = args.flag("quick");
        int n = args.getInt("n", quick ? 5_000 : 20_000);
        int reps = args.getInt("reps", quick ? 3 : 5);
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("pipe_obj", pingPong(false, n, reps));
        results.put("pipe_bytes", pingPong(true, n, reps));
        for (Case c : CASES) {
            int items = quick ? Math.max(100, c.n() / 10) : c.n();
            results.put(c.name(), Common.throughput(c.name(), items, c.size(), reps, () -> oneRun(c, items)));
        }
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("n", n);
        extra.put("reps", reps);
        Common.emit("pipe", extra, results);
    }

    private static Map<String, Object> pingPong(boolean bytes, int n, int reps) {
        Pipe pipe = Pipe.open();
        Connection there = pipe.right();
        Process echo = new Process(() -> {
            if (bytes) {
                while (true) {
                    byte[] b = there.recvBytes();
                    if (b.length == 0) {
                        break;
                    }
                    there.sendBytes(b);
                }
            } else {
                while (true) {
                    Object o = there.recv();
                    if (o == null) {
                        break;
                    }
                    there.send(o);
                }
            }
        });
        echo.start();
        there.close();
        Connection here = pipe.left();
        byte[] msg = "12345678".getBytes();
        rounds(here, bytes, msg, 2000);
        List<Double> med = new ArrayList<>();
        List<Double> mean = new ArrayList<>();
        List<Double> p99 = new ArrayList<>();
        String kind = bytes ? "pipe_bytes" : "pipe_obj";
        for (int r = 0; r < reps; r++) {
            double[] ts = rounds(here, bytes, msg, n);
            Arrays.sort(ts);
            med.add(ts[ts.length / 2]);
            mean.add(Arrays.stream(ts).average().orElse(0));
            p99.add(ts[(int) (ts.length * 0.99)]);
            Common.log(String.format("%s rep%d: median %.1f us mean %.1f us p99 %.1f us", kind, r,
                    med.get(r), mean.get(r), p99.get(r)));
        }
        if (bytes) {
            here.sendBytes(new byte[0]);
        } else {
            here.send(null);
        }
        echo.join();
        here.close();
        check(echo);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rtt_median_us", Common.summarize(med, 2));
        m.put("rtt_mean_us", Common.summarize(mean, 2));
        m.put("rtt_p99_us", Common.summarize(p99, 2));
        return m;
    }

    private static double[] rounds(Connection c, boolean bytes, byte[] msg, int n) {
        double[] ts = new double[n];
        Integer value = 12345;
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            if (bytes) {
                c.sendBytes(msg);
                c.recvBytes();
            } else {
                c.send(value);
                c.recv();
            }
            ts[i] = (System.nanoTime() - t0) / 1e3;
        }
        return ts;
    }

    private static double oneRun(Case c, int n) {
        Pipe pipe = Pipe.open();
        Connection tx = pipe.right();
        boolean bytes = c.bytes();
        int size = c.size();
        Process producer = new Process(() -> {
            byte[] payload = new byte[size];
            Arrays.fill(payload, (byte) 'x');
            tx.send("ready");
            tx.recv(); // go
            if (bytes) {
                for (int i = 0; i < n; i++) {
                    tx.sendBytes(payload);
                }
            } else if (size == 0) {
                for (int i = 0; i < n; i++) {
                    tx.send(i);
                }
            } else {
                for (int i = 0; i < n; i++) {
                    tx.send(payload);
                }
            }
        });
        producer.start();
        tx.close();
        Connection rx = pipe.left();
        rx.recv(); // ready
        long t0 = System.nanoTime();
        rx.send("go");
        Object last = null;
        for (int i = 0; i < n; i++) {
            last = bytes ? rx.recvBytes() : rx.recv();
        }
        double dt = (System.nanoTime() - t0) / 1e9;
        producer.join();
        rx.close();
        check(producer);
        if (size == 0 ? !Integer.valueOf(n - 1).equals(last) : ((byte[]) last).length != size) {
            throw new AssertionError(c.name() + ": wrong last item " + last);
        }
        return dt;
    }

    private static void check(Process p) {
        if (!Integer.valueOf(0).equals(p.exitCode())) {
            throw new AssertionError(p + " exited with " + p.exitCode());
        }
        p.close();
    }
}
