package org.multiprocessing4j;

import static org.multiprocessing4j.testing.Dirs.clear;
import static org.multiprocessing4j.testing.Dirs.files;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.multiprocessing4j.drivers.ArchiveFlagDriver;
import org.multiprocessing4j.testing.Await;
import org.multiprocessing4j.testing.JavaDriver;
import org.multiprocessing4j.testing.Jars;

/**
 * On JDK 25 and later, children start from the JDK's AOT cache, trained in the background by a run of its
 * own: the child that finds none starts without it and waits for nothing, later children (in later JVMs
 * too) get {@code -XX:AOTCache} and load their classes from it, and none of it shows in the program's
 * output. A cache that is not privately ours, or was made for other jars, is not used, and one HotSpot
 * cannot read is ignored without a word. A training that fails leaves a marker that keeps its key from
 * being trained again for a day. Every test waits for the trainings it caused to end. (Up to JDK 24, see
 * {@link ChildArchiveTest}.)
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class AotCacheTest {
    /** A training takes a few seconds; far longer on a loaded machine. */
    private static final Duration TRAINING = Duration.ofSeconds(120);

    @TempDir
    Path tmp;
    private Path cache;
    private Path app;
    private String classPath;

    @BeforeEach
    void jars() throws Exception {
        assumeTrue(Runtime.version().feature() >= 25, "the AOT cache is used from JDK 25");
        Path core = Jars.create(tmp.resolve("core.jar"), null, null, Path.of(System.getProperty("mp4j.test.classes")));
        app = Jars.create(tmp.resolve("app.jar"), null, null, Path.of(System.getProperty("mp4j.test.testClasses")));
        classPath = core + File.pathSeparator + app;
        cache = tmp.resolve("cache");
    }

    /** Even a failed test leaves no training running: they are bounded, so this wait is too. */
    @AfterEach
    void noTrainingLeft() {
        if (cache != null) {
            awaitNoTraining();
        }
    }

    @Test
    void laterChildrenUseTheCacheTrainedInTheBackground() throws Exception {
        Path logs = Files.createDirectories(tmp.resolve("logs"));
        String options = "-Dmultiprocessing4j.jvmOptions=-Xlog:class+load:file=" + logs + "/child-%p.log";

        JavaDriver.Result first = run(1, options);
        assertThat(first.lines()).as("the child that found no cache starts without one; nothing of the training shows")
                .containsExactly("child []", "exit=0");
        assertThat(first.stderr()).isEmpty();
        String name = awaitTrainings(1).get(0);
        assertThat(mode(cache)).as("the cache is private").isEqualTo("rwx------");
        assertThat(mode(cache.resolve(name))).isEqualTo("rw-------");
        List<String> trainingLogs = new ArrayList<>();
        for (String log : files(logs)) {
            trainingLogs.add(Files.readString(logs.resolve(log)));
        }
        assertThat(trainingLogs).as("the training does what a child does with its parent's queues")
                .anySatisfy(log -> assertThat(log)
                        .contains("org.multiprocessing4j.internal.queue.Feeder source:")
                        .contains("org.multiprocessing4j.internal.queue.Taker source:"));
        clear(logs); // the training's own

        JavaDriver.Result using = run(2, options);
        assertThat(using.lines()).containsExactly(
                "child [-XX:AOTCache=" + name + "]", "exit=0", "child [-XX:AOTCache=" + name + "]", "exit=0");
        assertThat(using.stderr()).isEmpty();
        assertThat(files(cache)).containsExactly(name);
        List<String> childLogs = new ArrayList<>();
        for (String log : files(logs)) {
            childLogs.add(Files.readString(logs.resolve(log)));
        }
        assertThat(childLogs).hasSize(2).allSatisfy(log -> assertThat(log)
                .contains("org.multiprocessing4j.internal.launch.ChildMain source: shared objects file")
                .contains("org.multiprocessing4j.internal.codec.Serialization source: shared objects file"));
    }

    @Test
    void aCacheThatIsNotPrivatelyOursIsNotUsed() throws Exception {
        run(1);
        String name = awaitTrainings(1).get(0);
        Path file = cache.resolve(name);
        String using = "child [-XX:AOTCache=" + name + "]";
        assertThat(run(1).lines()).containsExactly(using, "exit=0");

        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw--w----"));
        assertThat(run(1).lines()).as("others may write it").containsExactly("child []", "exit=0");
        assertThat(files(cache)).as("nor is it trained again").containsExactly(name);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        assertThat(run(1).lines()).containsExactly(using, "exit=0");

        if (Files.getOwner(tmp).getName().equals("root")) { // else no file of another user can be made
            UserPrincipal me = Files.getOwner(file);
            Files.setOwner(file, file.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("65534"));
            assertThat(run(1).lines()).as("another user's").containsExactly("child []", "exit=0");
            Files.setOwner(file, me);
        }

        Path link = Files.move(file, tmp.resolve("elsewhere.aot"));
        Files.createSymbolicLink(file, link);
        assertThat(run(1).lines()).as("a link").containsExactly("child []", "exit=0");
    }

    @Test
    void aCacheMadeForOtherJarsIsNotUsedAndOneHotSpotRefusesIsIgnoredQuietly() throws Exception {
        run(1);
        String old = awaitTrainings(1).get(0);

        // A rebuilt jar: JDK 25 itself would not notice and would run the old classes from the cache.
        Files.setLastModifiedTime(app, FileTime.from(Instant.now().plusSeconds(5)));
        JavaDriver.Result rebuilt = run(1);
        assertThat(rebuilt.lines()).containsExactly("child []", "exit=0");
        List<String> both = awaitTrainings(2);
        String fresh = both.get(0).equals(old) ? both.get(1) : both.get(0);
        assertThat(run(1).lines()).containsExactly("child [-XX:AOTCache=" + fresh + "]", "exit=0");

        // A cache cut short (or made by another JVM build): HotSpot refuses it, and would say so on stderr.
        try (RandomAccessFile f = new RandomAccessFile(cache.resolve(fresh).toFile(), "rw")) {
            f.setLength(f.length() / 2);
        }
        JavaDriver.Result refused = run(2);
        assertThat(refused.lines()).containsExactly("child [-XX:AOTCache=" + fresh + "]", "exit=0",
                "child [-XX:AOTCache=" + fresh + "]", "exit=0");
        assertThat(refused.stderr()).isEmpty();
    }

    @Test
    void aTrainingThatFailedIsNotTriedAgainForADay() throws Exception {
        // Children run with the AOT cache off: they start, but a training records nothing.
        String off = "-Dmultiprocessing4j.jvmOptions=-XX:AOTMode=off";
        assertThat(run(1, off).lines()).containsExactly("child []", "exit=0");
        awaitNoTraining();
        assertThat(filesQuietly(cache)).as("a marker, and no cache").hasSize(1)
                .allMatch(s -> s.matches("child-[0-9a-f]+\\.aot\\.failed"));
        Path marker = cache.resolve(files(cache).get(0));
        assertThat(mode(marker)).isEqualTo("rw-------");

        FileTime anHourAgo = FileTime.from(Instant.now().minus(Duration.ofHours(1)));
        Files.setLastModifiedTime(marker, anHourAgo);
        assertThat(run(2, off).lines()).containsExactly("child []", "exit=0", "child []", "exit=0");
        awaitNoTraining();
        assertThat(Files.getLastModifiedTime(marker)).as("no training ran, so none failed again").isEqualTo(anHourAgo);
        assertThat(files(cache)).containsExactly(marker.getFileName().toString());

        Files.setLastModifiedTime(marker, FileTime.from(Instant.now().minus(Duration.ofHours(25))));
        assertThat(run(1, off).lines()).containsExactly("child []", "exit=0");
        awaitNoTraining();
        assertThat(Files.getLastModifiedTime(marker).toInstant()).as("a day later it is tried again, and fails again")
                .isAfter(anHourAgo.toInstant());
    }

    private JavaDriver.Result run(int children, String... options) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(JavaDriver.java(), "-Dmultiprocessing4j.cacheDir=" + cache));
        cmd.addAll(List.of(options));
        cmd.addAll(List.of("-cp", classPath, ArchiveFlagDriver.class.getName(), String.valueOf(children)));
        JavaDriver.Result r = JavaDriver.start(cmd).await(Duration.ofSeconds(60));
        assertThat(r.status()).as(r.toString()).isZero();
        return r;
    }

    /** Waits for the trainings to end; returns the names of the caches, which must be {@code n}. */
    private List<String> awaitTrainings(int n) {
        awaitNoTraining();
        List<String> names = filesQuietly(cache);
        assertThat(names).hasSize(n).allMatch(s -> s.matches("child-[0-9a-f]+\\.aot"));
        return names;
    }

    /**
     * Waits until no process of a training into this test's cache runs (the shell, {@code timeout} and
     * the JVMs all name a file there); kills those left after {@link #TRAINING} and fails.
     */
    private void awaitNoTraining() {
        try {
            Await.until(TRAINING, () -> trainings().isEmpty(), () -> "the end of the trainings " + trainings());
        } catch (AssertionError e) {
            trainings().forEach(ProcessHandle::destroyForcibly);
            throw e;
        }
    }

    private List<ProcessHandle> trainings() {
        String dir = cache.toString();
        try (Stream<ProcessHandle> s = ProcessHandle.allProcesses()) {
            return s.filter(p -> Stream.of(p.info().arguments().orElse(new String[0])).anyMatch(a -> a.contains(dir)))
                    .filter(ProcessHandle::isAlive).collect(Collectors.toList());
        }
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    }

    private static List<String> filesQuietly(Path dir) {
        try {
            return Files.isDirectory(dir) ? files(dir) : List.of();
        } catch (Exception e) {
            return List.of();
        }
    }

}
