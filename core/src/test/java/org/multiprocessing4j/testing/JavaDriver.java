package org.multiprocessing4j.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Runs a program in a JVM of its own, the way a user runs one: for what only a whole program shows
 * (its exit, what its children print, its death by {@code kill -9}). Output goes to files, so that
 * nothing blocks on a full pipe and the children, which inherit them, write there too.
 */
public final class JavaDriver {
    /** The pids of the programs started since the last {@link #takeStarted}. */
    private static final Set<Long> STARTED = ConcurrentHashMap.newKeySet();

    private JavaDriver() {
    }

    /**
     * The pids of the programs started since the last call, which forgets them: the leak check looks
     * for what they left running once they are gone (their AOT cache trainings).
     */
    public static Set<Long> takeStarted() {
        Set<Long> pids = Set.copyOf(STARTED);
        STARTED.removeAll(pids);
        return pids;
    }

    /** The test class path: core's classes and the test classes, as directories. */
    public static String testClassPath() {
        String classes = System.getProperty("mp4j.test.classes");
        String testClasses = System.getProperty("mp4j.test.testClasses");
        if (classes == null || testClasses == null) {
            throw new IllegalStateException("run under Maven: mp4j.test.classes is set by the POM");
        }
        return classes + File.pathSeparator + testClasses;
    }

    public static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Starts {@code main} on the test class path. */
    public static Running start(Class<?> main, String... args) throws IOException {
        return startWith("spawn", main, args);
    }

    /** Starts {@code main} on the test class path, with {@code method} as its default start method. */
    public static Running startWith(String method, Class<?> main, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(java(), "-Dmultiprocessing4j.startMethod=" + method,
                "-cp", testClassPath(), main.getName()));
        cmd.addAll(Arrays.asList(args));
        return start(cmd);
    }

    /** Starts a whole command line. */
    public static Running start(List<String> command) throws IOException {
        return start(command, Map.of());
    }

    /** Starts a whole command line with extra environment variables. */
    public static Running start(List<String> command, Map<String, String> env) throws IOException {
        Path out = Files.createTempFile("mp4j-test-out", ".txt");
        Path err = Files.createTempFile("mp4j-test-err", ".txt");
        out.toFile().deleteOnExit(); // also when a test kills the program instead of awaiting it
        err.toFile().deleteOnExit();
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.PIPE);
        builder.environment().putAll(env);
        java.lang.Process process = builder.start();
        STARTED.add(process.pid());
        return new Running(process, out, err);
    }

    /** Runs {@code main} to its end, or fails after {@code timeout} having killed its whole tree. */
    public static Result run(Duration timeout, Class<?> main, String... args) throws Exception {
        return start(main, args).await(timeout);
    }

    /** {@link #run} with {@code method} as the program's default start method. */
    public static Result runWith(String method, Duration timeout, Class<?> main, String... args) throws Exception {
        return startWith(method, main, args).await(timeout);
    }

    /** A program that runs. */
    public static final class Running {
        public final java.lang.Process process;
        private final Path out;
        private final Path err;

        Running(java.lang.Process process, Path out, Path err) {
            this.process = process;
            this.out = out;
            this.err = err;
        }

        public long pid() {
            return process.pid();
        }

        /** What it printed so far. */
        public String stdout() throws IOException {
            return Files.readString(out, StandardCharsets.UTF_8);
        }

        public String stderr() throws IOException {
            return Files.readString(err, StandardCharsets.UTF_8);
        }

        /**
         * Waits until a line of stdout starts with {@code prefix}; fails (killing the tree) after the
         * timeout or when the program ends without printing it. Returns all of stdout so far.
         */
        public String awaitOutput(String prefix, Duration timeout) throws Exception {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                boolean ended = !process.isAlive();
                String s = stdout();
                if (s.lines().anyMatch(l -> l.startsWith(prefix))) {
                    return s;
                }
                if (ended) {
                    break;
                }
                Thread.sleep(10);
            }
            String text = prefix;
            String s = stdout();
            String e = stderr();
            killTree();
            throw new AssertionError("no '" + text + "' in the program's output within " + timeout
                    + "\n--- stdout\n" + s + "\n--- stderr\n" + e);
        }

        /** Waits for the end; fails after the timeout, having killed the whole tree. */
        public Result await(Duration timeout) throws Exception {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                String s = stdout();
                String e = stderr();
                killTree();
                throw new AssertionError("program did not end within " + timeout
                        + "\n--- stdout\n" + s + "\n--- stderr\n" + e);
            }
            Result r = new Result(process.exitValue(), stdout(), stderr());
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            return r;
        }

        public void killTree() {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    /** How a program ended and what it printed. */
    public record Result(int status, String stdout, String stderr) {
        public List<String> lines() {
            return stdout.lines().toList();
        }

        /** The value of the first line {@code key=value} of stdout. */
        public String value(String key) {
            return stdout.lines().filter(l -> l.startsWith(key + "=")).map(l -> l.substring(key.length() + 1))
                    .findFirst().orElseThrow(() -> new AssertionError("no " + key + "= line in\n" + this));
        }

        @Override
        public String toString() {
            return "status " + status + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
        }
    }
}
