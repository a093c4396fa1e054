package org.multiprocessing4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs programs in JVMs of their own, as a user would ({@code java -cp <this class path> Main}), and,
 * after each test, fails it if anything they started still runs.
 *
 * <p>Every JVM started here carries a token in its environment, which its children and theirs inherit;
 * a process that carries it after the test is a leak, even one whose parent is gone. On a system
 * without {@code /proc}, the check falls back to this JVM's descendants. Register it with
 * {@code @RegisterExtension}, one per test instance.
 */
final class ExampleJvms implements AfterEachCallback {
    private static final String TOKEN_VARIABLE = "MP4J_EXAMPLES_TEST_RUN";

    private final String token = UUID.randomUUID().toString();

    /**
     * Runs {@code mainClass} with {@code args} and waits for it to exit. Output is UTF-8 (the JVM runs
     * under {@code LC_ALL=C.UTF-8}).
     *
     * @throws AssertionError if it has not exited within {@code timeout}; it and everything it started
     *     are killed first, and the message holds its output so far
     */
    ExampleRun run(Class<?> mainClass, Duration timeout, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                mainClass.getName()));
        command.addAll(List.of(args));
        return run(command, mainClass.getSimpleName(), timeout);
    }

    /** {@link #run(Class, Duration, String...)} of a whole command line, named {@code what} in messages. */
    ExampleRun run(List<String> command, String what, Duration timeout) throws IOException, InterruptedException {
        Path out = Files.createTempFile("mp4j-example-", ".out");
        Path err = Files.createTempFile("mp4j-example-", ".err");
        try {
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            builder.environment().put("LC_ALL", "C.UTF-8");
            builder.environment().put(TOKEN_VARIABLE, token);
            java.lang.Process p = builder.start();
            boolean exited;
            try {
                exited = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                killAll(p);
                throw e;
            }
            if (!exited) {
                killAll(p);
            }
            ExampleRun run = new ExampleRun(p.pid(), exited ? p.exitValue() : -1,
                    Files.readAllLines(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
            if (!exited) {
                throw new AssertionError(what + " did not exit within " + timeout
                        + "; killed it. " + run.output());
            }
            return run;
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        List<ProcessHandle> left = leftovers();
        List<String> described = left.stream()
                .map(h -> h.pid() + " " + h.info().commandLine().orElse("?"))
                .collect(Collectors.toList());
        left.forEach(ProcessHandle::destroyForcibly);
        assertThat(described).as("processes still running after the test (now killed)").isEmpty();
    }

    private void killAll(java.lang.Process p) {
        List<ProcessHandle> descendants = p.descendants().collect(Collectors.toList());
        p.destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
        leftovers().forEach(ProcessHandle::destroyForcibly);
    }

    /** Live processes started, directly or not, by this test's JVMs. */
    private List<ProcessHandle> leftovers() {
        List<ProcessHandle> found = ProcessHandle.current().descendants()
                .filter(ProcessHandle::isAlive).collect(Collectors.toCollection(ArrayList::new));
        Path proc = Path.of("/proc");
        if (!Files.isDirectory(proc)) {
            return found;
        }
        byte[] needle = (TOKEN_VARIABLE + "=" + token).getBytes(StandardCharsets.UTF_8);
        try (Stream<Path> entries = Files.list(proc)) {
            entries.filter(d -> d.getFileName().toString().chars().allMatch(Character::isDigit))
                    .filter(d -> carries(d.resolve("environ"), needle))
                    .map(d -> ProcessHandle.of(Long.parseLong(d.getFileName().toString())))
                    .flatMap(h -> h.stream())
                    .filter(h -> found.stream().noneMatch(f -> f.pid() == h.pid()))
                    .forEach(found::add);
        } catch (IOException e) {
            throw new AssertionError("cannot list /proc", e);
        }
        return found;
    }

    private static boolean carries(Path environ, byte[] needle) {
        byte[] env;
        try {
            env = Files.readAllBytes(environ);
        } catch (IOException | SecurityException goneOrNotOurs) {
            return false;
        }
        outer:
        for (int i = 0; i + needle.length <= env.length; i++) {
            if (i > 0 && env[i - 1] != 0) {
                continue;
            }
            for (int j = 0; j < needle.length; j++) {
                if (env[i + j] != needle[j]) {
                    continue outer;
                }
            }
            if (i + needle.length == env.length || env[i + needle.length] == 0) {
                return true;
            }
        }
        return false;
    }
}
