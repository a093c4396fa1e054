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
        JavaDriver.Running driver = JavaDriver.startWith(method, TrackerDriver.class, "killed-child", "exit");
        long pid = driver.pid();
        JavaDriver.Result r = driver.await(Duration.ofSeconds(60));
        String name = r.value("segment");
        try {
            assertThat(r.status()).as(r.toString()).isZero();
            assertThat(r.value("exit.code")).isEqualTo("-9");
            assertThat(r.value("exists.after.kill")).as("a killed child's segment stays while the tree runs")
                    .isEqualTo("true");
            assertThat(SHM.resolve(name)).as("unlinked at the main process's exit").doesNotExist();
            assertThat(reports(r.stderr())).as(r.toString()).containsExactly("1 [" + name + "]");
            assertThat(registries(pid)).as("the registry is removed").isEmpty();
        } finally {
            Files.deleteIfExists(SHM.resolve(name));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"spawn", "forkserver"})
    void aSegmentOfAKilledChildIsUnlinkedWhenTheMainProcessIsKilledWithSigkill(String method) throws Exception {
        JavaDriver.Running driver = JavaDriver.startWith(method, TrackerDriver.class, "killed-child", "wait");
        String name = null;
        try {
            String out = driver.awaitOutput("ready", Duration.ofSeconds(60));
            name = out.lines().filter(l -> l.startsWith("segment=")).map(l -> l.substring(8)).findFirst().orElseThrow();
            assertThat(out).contains("exists.after.kill=true");
            assertThat(SHM.resolve(name)).exists();
            List<Long> tree = driver.process.descendants().map(ProcessHandle::pid).toList();
            assertThat(tree).as("the tracker's watcher runs beside the main process").isNotEmpty();

            driver.process.toHandle().destroyForcibly(); // SIGKILL: no exit hook runs
            driver.process.waitFor();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (Files.exists(SHM.resolve(name)) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(SHM.resolve(name)).as("unlinked by the watcher after the main process died").doesNotExist();
            for (long pid : tree) {
                while (Procs.isRunning(pid) && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                assertThat(Procs.isRunning(pid)).as("process %d outlived the main process", pid).isFalse();
            }
            assertThat(reports(driver.stderr())).as(driver.stderr()).containsExactly("1 [" + name + "]");
            assertThat(registries(driver.pid())).isEmpty();
        } finally {
            driver.killTree();
            if (name != null) {
                Files.deleteIfExists(SHM.resolve(name));
            }
        }
    }

    @Test
    void anUntrackedSegmentOutlivesTheProgramAndATrackedOneDoesNot() throws Exception {
        String untracked = "mp4j-test-untracked-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        try {
            JavaDriver.Result r = JavaDriver.run(Duration.ofSeconds(60), TrackerDriver.class, "untracked", untracked);
            assertThat(r.status()).as(r.toString()).isZero();
            String tracked = r.value("tracked");
            assertThat(SHM.resolve(untracked)).exists();
            assertThat(SHM.resolve(tracked)).doesNotExist();
            assertThat(reports(r.stderr())).containsExactly("1 [" + tracked + "]");
            try (SharedMemory left = SharedMemory.attach(untracked)) {
                assertThat(left.size()).isEqualTo(16);
                left.unlink();
            }
        } finally {
            Files.deleteIfExists(SHM.resolve(untracked));
        }
    }

    @Test
    void theRegistryOfAMainProcessWhoseWatcherDiedTooIsSweptByTheNextOne() throws Exception {
        java.lang.Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Path registry = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")),
                ResourceTracker.REGISTRY_PREFIX + gone.pid() + "-");
        String name = "mp4j-test-stale-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        try {
            Files.createFile(SHM.resolve(name));
            Files.createFile(registry.resolve(name));
            ResourceTracker.sweepStale();
            assertThat(SHM.resolve(name)).doesNotExist();
            assertThat(registry).doesNotExist();
            assertThat(Path.of(registry + ".closing")).doesNotExist();
        } finally {
            Files.deleteIfExists(SHM.resolve(name));
            Files.deleteIfExists(registry.resolve(name));
            Files.deleteIfExists(registry);
        }
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
