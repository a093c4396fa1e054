package org.multiprocessing4j.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.multiprocessing4j.bench.programs.MonteCarlo;
import org.multiprocessing4j.bench.programs.Pipeline;
import org.multiprocessing4j.bench.programs.WordFreq;

/**
 * Three everyday programs, each in Python ({@code bench/python/programs}) and ported line by line to Java
 * ({@link WordFreq}, {@link Pipeline}, {@link MonteCarlo}), timed as whole processes, CPython and ours
 * alternated rep by rep, with the peak memory of the whole process tree.
 *
 * <pre>
 *   java -cp multiprocessing4j-bench.jar org.multiprocessing4j.bench.ProgramsBench [--python python3]
 *        [--programs bench/python/programs] [--corpus DIR] [--reps 3] [--quick]
 * </pre>
 *
 * <p>CPython is started as its interpreter binary ({@code sys.executable} of {@code --python}), not
 * through a wrapper script on the PATH, which would add its own start-up to every run. The corpus is
 * {@code --corpus}, else the {@code *.py} files of that interpreter's standard library (not
 * {@code site-packages}); with fewer than 100 files there, a corpus of the same shape is generated (1,790
 * files of Python-like lines, 34 MB, a fixed seed) and deleted afterwards. Both languages read the same
 * list of files. Word frequencies and the pipeline print the same lines in both; a run whose output
 * differs from CPython's is an error. Monte Carlo draws from each language's own generator, so its
 * estimates differ in the last digits; it is also run serially in one JVM ({@code --serial}), the
 * yardstick of what two processes should gain.
 *
 * <p>Memory: every 10 ms, the {@code VmRSS} of the program's process and all its descendants, summed
 * (pages shared between them, such as {@code libjvm.so}, count in each, as a user's {@code top} shows
 * them); the peak of the sum, and the peak of the largest single process.
 */
public final class ProgramsBench {
    private static final long TIMEOUT_SECONDS = 300;

    private ProgramsBench() {
    }

    /** One program: its Python script and Java main class, and whether their outputs must agree. */
    private record Program(String name, String script, Class<?> main, boolean sameOutput, boolean takesFiles) {
    }

    private static final List<Program> PROGRAMS = List.of(
            new Program("word_freq", "word_freq.py", WordFreq.class, true, true),
            new Program("pipeline", "pipeline.py", Pipeline.class, true, true),
            new Program("monte_carlo", "monte_carlo.py", MonteCarlo.class, false, false));

    /** A measured run: wall seconds, peak summed RSS of the tree, peak RSS of its largest process (MiB). */
    private record Run(double seconds, double treeMiB, double largestMiB, String output) {
    }

    public static void main(String[] argv) throws Exception {
        Common.Args args = new Common.Args(argv, Set.of("quick"));
        boolean quick = args.flag("quick");
        int reps = args.getInt("reps", quick ? 1 : 3);
        Path programs = Path.of(args.get("programs", "bench/python/programs")).toAbsolutePath();
        List<String> python = pythonOf(args.get("python", System.getenv().getOrDefault("PYTHON", "python3")));
        String interpreter = python.get(0);
        Path corpusDir = args.get("corpus", null) != null ? Path.of(args.get("corpus", null)) : Path.of(python.get(1));
        Path work = Files.createTempDirectory("mp4j-bench-programs-");
        try {
            List<Path> files = pyFiles(corpusDir);
            String corpus = corpusDir + " (*.py, without site-packages)";
            if (files.size() < 100) {
                files = generateCorpus(work.resolve("corpus"));
                corpus = "generated: 1,790 files of Python-like lines, seed 14";
            }
            if (quick) {
                files = files.subList(0, Math.min(300, files.size()));
            }
            Path list = work.resolve("files.txt");
            Files.write(list, files.stream().map(Path::toString).toList());
            long bytes = 0;
            for (Path f : files) {
                bytes += Files.size(f);
            }
            Common.log("programs: corpus " + corpus + ", " + files.size() + " files, " + bytes / 1_000_000 + " MB;"
                    + " CPython " + interpreter);

            Map<String, Object> results = new LinkedHashMap<>();
            for (Program p : PROGRAMS) {
                List<String> pyCmd = new ArrayList<>(List.of(interpreter, programs.resolve(p.script()).toString()));
                List<String> javaCmd = new ArrayList<>(Common.javaCommand(p.main()));
                if (p.takesFiles()) {
                    pyCmd.add(list.toString());
                    javaCmd.add(list.toString());
                }
                List<Double> py = new ArrayList<>();
                List<Double> ours = new ArrayList<>();
                List<Double> pyTree = new ArrayList<>();
                List<Double> oursTree = new ArrayList<>();
                List<Double> pyLargest = new ArrayList<>();
                List<Double> oursLargest = new ArrayList<>();
                List<Double> serial = new ArrayList<>();
                String sample = null;
                for (int rep = 0; rep < reps; rep++) {
                    Run c = measure(pyCmd);
                    Run o = measure(javaCmd);
                    if (p.sameOutput() && !c.output().equals(o.output())) {
                        throw new AssertionError(p.name() + ": the Java port printed\n" + o.output()
                                + "where CPython printed\n" + c.output());
                    }
                    sample = o.output().strip();
                    py.add(c.seconds());
                    ours.add(o.seconds());
                    pyTree.add(c.treeMiB());
                    oursTree.add(o.treeMiB());
                    pyLargest.add(c.largestMiB());
                    oursLargest.add(o.largestMiB());
                    if (p.main() == MonteCarlo.class) {
                        List<String> serialCmd = new ArrayList<>(javaCmd);
                        serialCmd.add("--serial");
                        serial.add(measure(serialCmd).seconds());
                    }
                    Common.log(String.format("  %s rep %d: CPython %.2f s, %.0f MiB tree; ours %.2f s, %.0f MiB tree",
                            p.name(), rep + 1, c.seconds(), c.treeMiB(), o.seconds(), o.treeMiB()));
                }
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("cpython_s", Common.summarize(py, 3));
                r.put("ours_s", Common.summarize(ours, 3));
                r.put("time_ratio", Common.round(Common.median(ours) / Common.median(py), 3));
                r.put("cpython_tree_MiB", Common.summarize(pyTree, 1));
                r.put("ours_tree_MiB", Common.summarize(oursTree, 1));
                r.put("tree_ratio", Common.round(Common.median(oursTree) / Common.median(pyTree), 3));
                r.put("cpython_largest_process_MiB", Common.summarize(pyLargest, 1));
                r.put("ours_largest_process_MiB", Common.summarize(oursLargest, 1));
                if (!serial.isEmpty()) {
                    r.put("ours_serial_s", Common.summarize(serial, 3));
                    r.put("vs_serial_ratio", Common.round(Common.median(ours) / Common.median(serial), 3));
                }
                r.put("output", sample);
                results.put(p.name(), r);
            }
            Map<String, Object> extra = new LinkedHashMap<>();
            extra.put("corpus", corpus);
            extra.put("files", files.size());
            extra.put("corpus_bytes", bytes);
            extra.put("cpython", interpreter);
            extra.put("reps", reps);
            Common.emit("programs", extra, results);
        } finally {
            deleteTree(work);
        }
    }

    /** The interpreter binary behind {@code python} and its standard library's directory. */
    private static List<String> pythonOf(String python) {
        String out = Common.run(List.of(python, "-c",
                "import sys, sysconfig; print(sys.executable); print(sysconfig.get_paths()['stdlib'])"), true);
        return out.strip().lines().toList();
    }

    private static List<Path> pyFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(f -> f.toString().endsWith(".py") && Files.isRegularFile(f))
                    .filter(f -> !dir.relativize(f).toString().contains("site-packages"))
                    .sorted().toList();
        }
    }

    /**
     * 1,790 files whose sizes follow a standard library's (most a few KB, a few over 100 KB; 34 MB in all),
     * of lines made of Python-like words; the same bytes every time.
     */
    private static List<Path> generateCorpus(Path dir) throws IOException {
        Files.createDirectories(dir);
        String[] words = {"self", "def", "return", "if", "in", "the", "import", "for", "not", "is", "None",
            "x", "a", "b", "assertEqual", "value", "name", "args", "kwargs", "class", "raise", "try", "except"};
        Random rng = new Random(14);
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < 1_790; i++) {
            int size = (int) Math.min(600_000, Math.exp(8.9 + 1.25 * rng.nextGaussian()));
            StringBuilder text = new StringBuilder(size + 100);
            while (text.length() < size) {
                int n = 1 + rng.nextInt(9);
                text.append("    ".repeat(rng.nextInt(3)));
                for (int w = 0; w < n; w++) {
                    text.append(words[rng.nextInt(words.length)]).append(w + 1 < n ? ' ' : '\n');
                }
            }
            Path f = dir.resolve(String.format("m%04d.py", i));
            Files.writeString(f, text);
            files.add(f);
        }
        return files;
    }

    /** Runs {@code cmd} to its end, sampling the memory of its process tree; throws unless it exits with 0. */
    private static Run measure(List<String> cmd) throws IOException, InterruptedException {
        Path out = Files.createTempFile("mp4j-bench-out-", ".txt");
        try {
            long t0 = System.nanoTime();
            java.lang.Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            p.getOutputStream().close();
            double tree = 0;
            double largest = 0;
            while (!p.waitFor(10, TimeUnit.MILLISECONDS)) {
                double sum = 0;
                for (long pid : treeOf(p.toHandle())) {
                    double rss = rssMiB(pid);
                    sum += rss;
                    largest = Math.max(largest, rss);
                }
                tree = Math.max(tree, sum);
                if (System.nanoTime() - t0 > TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS)) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                    throw new AssertionError(cmd + " did not end within " + TIMEOUT_SECONDS + " s");
                }
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            String printed = Files.readString(out, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new AssertionError(cmd + " exited with " + p.exitValue() + ": " + printed);
            }
            return new Run(seconds, tree, largest, printed);
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static List<Long> treeOf(ProcessHandle root) {
        List<Long> pids = new ArrayList<>();
        pids.add(root.pid());
        root.descendants().forEach(h -> pids.add(h.pid()));
        return pids;
    }

    /** {@code VmRSS} of {@code pid} in MiB; 0 once it has gone. */
    private static double rssMiB(long pid) {
        Map<String, Double> status = new java.util.HashMap<>();
        try {
            ChildRssBench.readKb(Path.of("/proc", Long.toString(pid), "status"), List.of("VmRSS"), status);
        } catch (IOException | RuntimeException gone) {
            // ended between the listing and the read
        }
        return status.getOrDefault("VmRSS", 0.0);
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(f -> {
                try {
                    Files.delete(f);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            Common.log("cannot delete " + dir + ": " + e);
        }
    }
}
