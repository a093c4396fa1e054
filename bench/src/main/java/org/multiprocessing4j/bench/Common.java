package org.multiprocessing4j.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What every benchmark shares, the Java twin of {@code shared/bench/python/_common.py}: summaries in the
 * same shape ({@code median/min/max/n}), the machine block, the single JSON result line printed last,
 * progress on stderr, and a small option parser.
 */
final class Common {
    private Common() {
    }

    static double median(List<Double> values) {
        List<Double> v = new ArrayList<>(values);
        Collections.sort(v);
        int n = v.size();
        if (n == 0) {
            return Double.NaN;
        }
        return n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
    }

    static double mean(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }

    /** {@code {"median", "min", "max", "n"}}, as {@code _common.summarize}. */
    static Map<String, Object> summarize(List<Double> values, int digits) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("median", round(median(values), digits));
        m.put("min", round(values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN), digits));
        m.put("max", round(values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN), digits));
        m.put("n", values.size());
        return m;
    }

    static Map<String, Object> machine() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("java", System.getProperty("java.version"));
        m.put("vm", System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"));
        m.put("vendor", System.getProperty("java.vm.vendor"));
        m.put("java_home", System.getProperty("java.home"));
        m.put("cpus", Runtime.getRuntime().availableProcessors());
        m.put("kernel", System.getProperty("os.version"));
        String childOptions = System.getProperty("multiprocessing4j.jvmOptions");
        if (childOptions != null) {
            m.put("child_jvm_options", childOptions);
        }
        return m;
    }

    /** Prints the single JSON result line, always the last line of stdout. */
    static void emit(String bench, Map<String, Object> extra, Map<String, Object> results) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("bench", bench);
        out.put("machine", machine());
        out.putAll(extra);
        out.put("results", results);
        System.out.flush();
        System.out.println(Json.write(out));
        System.out.flush();
    }

    static void log(String message) {
        System.err.println(message);
        System.err.flush();
    }

    /**
     * Runs {@code run} (seconds for N items) {@code reps} times and summarises it as {@code queue_tp.py}
     * does: {@code n}, {@code seconds}, {@code msgs_per_s}, and {@code MB_per_s} when items have a size.
     */
    static Map<String, Object> throughput(String name, int n, int itemBytes, int reps,
                                          java.util.function.DoubleSupplier run) {
        return throughput(name, n, itemBytes, 1, reps, run);
    }

    /**
     * Runs {@code warmups} unmeasured runs first: they warm this (the parent) JVM's JIT, as in a
     * long-running application; every run still starts a child JVM of its own, which starts cold.
     */
    static Map<String, Object> throughput(String name, int n, int itemBytes, int warmups, int reps,
                                          java.util.function.DoubleSupplier run) {
        for (int w = 0; w < warmups; w++) {
            double s = run.getAsDouble();
            log(String.format("%s warm-up %d (not counted): %.3fs %,.0f msg/s", name, w, s, n / s));
        }
        List<Double> secs = new java.util.ArrayList<>();
        for (int r = 0; r < reps; r++) {
            secs.add(run.getAsDouble());
            log(String.format("%s rep%d: %.3fs %,.0f msg/s", name, r, secs.get(r), n / secs.get(r)));
        }
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("n", n);
        m.put("warmups", warmups);
        m.put("seconds", summarize(secs, 4));
        List<Double> rates = new java.util.ArrayList<>();
        List<Double> mbs = new java.util.ArrayList<>();
        for (double s : secs) {
            rates.add(n / s);
            mbs.add((double) n * itemBytes / s / 1e6);
        }
        m.put("msgs_per_s", summarize(rates, 0));
        if (itemBytes > 0) {
            m.put("MB_per_s", summarize(mbs, 1));
        }
        return m;
    }

    /** utime + stime of a process, in clock ticks (1/100 s), from /proc/&lt;pid&gt;/stat. */
    static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    /**
     * The command of a new JVM like this one (the same {@code java}, class path and
     * {@code multiprocessing4j.jvmOptions}, nothing else) that runs {@code main} with {@code args}.
     */
    static List<String> javaCommand(Class<?> main, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String childOptions = System.getProperty("multiprocessing4j.jvmOptions");
        if (childOptions != null) {
            cmd.add("-Dmultiprocessing4j.jvmOptions=" + childOptions);
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(main.getName());
        cmd.addAll(List.of(args));
        return cmd;
    }

    /**
     * Runs {@code cmd} to its end, its stdin closed and its stderr this JVM's, and returns what it printed
     * (nothing when {@code keepOutput} is false: its stdout is thrown away).
     *
     * @throws AssertionError if it exits with a status other than 0
     */
    static String run(List<String> cmd, boolean keepOutput) {
        try {
            java.lang.Process p = new ProcessBuilder(cmd)
                    .redirectOutput(keepOutput ? ProcessBuilder.Redirect.PIPE : ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            p.getOutputStream().close();
            String out = keepOutput
                    ? new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8) : "";
            int code = p.waitFor();
            if (code != 0) {
                throw new AssertionError(cmd + " exited with " + code + ": " + out);
            }
            return out;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static double millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e6;
    }

    /**
     * {@code --name value}, {@code --name=value} and boolean {@code --flag}s (the names listed as flags);
     * everything else is positional.
     */
    static final class Args {
        private final Map<String, String> options = new HashMap<>();
        private final List<String> positional = new ArrayList<>();

        Args(String[] args, Set<String> flags) {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (!a.startsWith("--") || a.equals("--")) {
                    positional.add(a);
                    continue;
                }
                String name = a.substring(2);
                int eq = name.indexOf('=');
                if (eq >= 0) {
                    options.put(name.substring(0, eq), name.substring(eq + 1));
                } else if (flags.contains(name)) {
                    options.put(name, "true");
                } else if (i + 1 < args.length) {
                    options.put(name, args[++i]);
                } else {
                    throw new IllegalArgumentException("option --" + name + " needs a value");
                }
            }
        }

        boolean flag(String name) {
            return Boolean.parseBoolean(options.getOrDefault(name, "false"));
        }

        String get(String name, String fallback) {
            return options.getOrDefault(name, fallback);
        }

        int getInt(String name, int fallback) {
            String v = options.get(name);
            return v == null ? fallback : Integer.parseInt(v);
        }

        double getDouble(String name, double fallback) {
            String v = options.get(name);
            return v == null ? fallback : Double.parseDouble(v);
        }

        List<String> positional() {
            return positional;
        }

        Set<String> names() {
            return options.keySet();
        }
    }
}
