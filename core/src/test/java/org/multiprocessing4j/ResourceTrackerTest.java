package org.multiprocessing4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.multiprocessing4j.drivers.TrackerDriver;
import org.multiprocessing4j.internal.track.ResourceTracker;
import org.multiprocessing4j.testing.Await;
import org.multiprocessing4j.testing.JavaDriver;
import org.multiprocessing4j.testing.Procs;

/**
 * The resource tracker of a whole program, seen from outside it: a separate main JVM whose child
 * creates a segment and is killed with SIGKILL, so that only the tree's tracker can unlink it.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ResourceTrackerTest {
    private static final Path SHM = Path.of("/dev/shm");
    private static final Pattern REPORT = Pattern.compile(
            "multiprocessing4j resource_tracker: There appear to be (\\d+) leaked shared_memory objects"
                    + " to clean up at shutdown: \\[([^]]*)]");

    @ParameterizedTest
    @ValueSource(strings = {"spawn", "forkserver"})
    void aSegmentOfAKilledChildIsUnlinkedAndReportedOnceWhenTheMainProcessExits(String method) throws Exception {
        String name = testName("exit");
        JavaDriver.Running driver = JavaDriver.startWith(method, TrackerDriver.class, "killed-child", "exit", name);
        long pid = driver.pid();
        try {
            JavaDriver.Result r = driver.await(Duration.ofSeconds(60));
            assertThat(r.value("segment")).isEqualTo(name);
            assertThat(r.status()).as(r.toString()).isZero();
            assertThat(r.value("exit.code")).isEqualTo("-9");
            assertThat(r.value("exists.after.kill")).as("a killed child's segment stays while the tree runs")
                    .isEqualTo("true");
            assertThat(SHM.resolve(name)).as("unlinked at the main process's exit").doesNotExist();
            assertThat(reports(r.stderr())).as(r.toString()).containsExactly("1 [" + name + "]");
            assertThat(registries(pid)).as("the registry is removed").isEmpty();
            long watcher = Long.parseLong(r.value("watcher.pid"));
            assertThat(watcher).isPositive();
            Await.until(Duration.ofSeconds(10), () -> !Procs.isRunning(watcher), "the watcher to end with the main process");
        } finally {
            Files.deleteIfExists(SHM.resolve(name));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"spawn", "forkserver"})
    void aSegmentOfAKilledChildIsUnlinkedWhenTheMainProcessIsKilledWithSigkill(String method) throws Exception {
        String name = testName("sigkill");
        JavaDriver.Running driver = JavaDriver.startWith(method, TrackerDriver.class, "killed-child", "wait", name);
        try {
            String out = driver.awaitOutput("ready", Duration.ofSeconds(60));
            assertThat(out).contains("segment=" + name).contains("exists.after.kill=true");
            assertThat(SHM.resolve(name)).exists();
            List<Long> tree = driver.process.descendants().map(ProcessHandle::pid).toList();
            assertThat(tree).as("the tracker's watcher runs beside the main process").isNotEmpty();

            driver.process.toHandle().destroyForcibly(); // SIGKILL: no exit hook runs
            driver.process.waitFor();
            Await.until(Duration.ofSeconds(10), () -> !Files.exists(SHM.resolve(name)),
                    "the watcher to unlink the segment after the main process died");
            for (long pid : tree) {
                Await.until(Duration.ofSeconds(10), () -> !Procs.isRunning(pid),
                        () -> "process " + pid + " to end after the main process");
            }
            assertThat(reports(driver.stderr())).as(driver.stderr()).containsExactly("1 [" + name + "]");
            assertThat(registries(driver.pid())).isEmpty();
        } finally {
            driver.killTree();
            Files.deleteIfExists(SHM.resolve(name));
        }
    }

    @Test
    void aClosingDirectoryPlantedBesideTheRegistryGetsNothingUnlinked() throws Exception {
        String name = testName("planted");
        String victim = testName("victim");
        JavaDriver.Running driver = JavaDriver.startWith("spawn", TrackerDriver.class, "killed-child", "wait", name);
        List<Path> planted = new ArrayList<>();
        try {
            driver.awaitOutput("ready", Duration.ofSeconds(60));
            Files.createFile(SHM.resolve(victim));
            // where a claim by rename would land if the registry were renamed beside itself in java.io.tmpdir
            for (Path r : registries(driver.pid())) {
                Path closing = Files.createDirectory(Path.of(r + ".closing"));
                Files.setPosixFilePermissions(closing, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
                planted.add(closing);
                Files.createFile(closing.resolve(victim));
            }
            assertThat(planted).isNotEmpty();
            List<Long> tree = driver.process.descendants().map(ProcessHandle::pid).toList();

            driver.process.toHandle().destroyForcibly(); // the watcher does the work
            driver.process.waitFor();
            for (long pid : tree) {
                Await.until(Duration.ofSeconds(10), () -> !Procs.isRunning(pid),
                        () -> "process " + pid + " to end after the main process");
            }
            assertThat(SHM.resolve(victim)).as("a name planted beside the registry is not unlinked").exists();
            assertThat(SHM.resolve(name)).as("the tree's own segment is\n" + driver.stderr()).doesNotExist();
            assertThat(reports(driver.stderr())).containsExactly("1 [" + name + "]");
        } finally {
            driver.killTree();
            Files.deleteIfExists(SHM.resolve(name));
            Files.deleteIfExists(SHM.resolve(victim));
            for (Path closing : planted) {
                if (!Files.exists(closing)) {
                    continue;
                }
                try (java.util.stream.Stream<Path> walk = Files.walk(closing)) {
                    for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(p);
                    }
                }
            }
        }
    }

    @Test
    void anUntrackedSegmentOutlivesTheProgramAndATrackedOneDoesNot() throws Exception {
        String untracked = testName("untracked");
        String tracked = testName("tracked");
        try {
            JavaDriver.Result r = JavaDriver.run(Duration.ofSeconds(60), TrackerDriver.class, "untracked", untracked,
                    tracked);
            assertThat(r.status()).as(r.toString()).isZero();
            assertThat(SHM.resolve(untracked)).exists();
            assertThat(SHM.resolve(tracked)).doesNotExist();
            assertThat(reports(r.stderr())).containsExactly("1 [" + tracked + "]");
            try (SharedMemory left = SharedMemory.attach(untracked)) {
                assertThat(left.size()).isEqualTo(16);
                left.unlink();
            }
        } finally {
            Files.deleteIfExists(SHM.resolve(untracked));
            Files.deleteIfExists(SHM.resolve(tracked));
        }
    }

    @Test
    void theRegistryOfAMainProcessWhoseWatcherDiedTooIsSweptByTheNextOne() throws Exception {
        java.lang.Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Path registry = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")),
                ResourceTracker.REGISTRY_PREFIX + gone.pid() + "-");
        Path live = Files.createDirectory(registry.resolve("live"));
        String name = testName("stale");
        try {
            Files.createFile(SHM.resolve(name));
            Files.createFile(live.resolve(name));
            ResourceTracker.sweepStale();
            assertThat(SHM.resolve(name)).doesNotExist();
            assertThat(registry).doesNotExist();
        } finally {
            Files.deleteIfExists(SHM.resolve(name));
            Files.deleteIfExists(live.resolve(name));
            Files.deleteIfExists(live);
            Files.deleteIfExists(registry.resolve("closing"));
            Files.deleteIfExists(registry);
        }
    }

    /**
     * A name outside the {@code mp4j-} prefix, which leak checks of other builds on this machine would
     * take for theirs and delete.
     */
    private static String testName(String what) {
        return "mp4jtest-" + what + "-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    }

    /** "count [names]" of each report line. */
    private static List<String> reports(String stderr) {
        List<String> found = new ArrayList<>();
        Matcher m = REPORT.matcher(stderr);
        while (m.find()) {
            found.add(m.group(1) + " [" + m.group(2) + "]");
        }
        return found;
    }

    private static List<Path> registries(long pid) throws Exception {
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(Path.of(System.getProperty("java.io.tmpdir")),
                ResourceTracker.REGISTRY_PREFIX + pid + "-*")) {
            ds.forEach(found::add);
        }
        return found;
    }
}
