package org.multiprocessing4j;

import static org.multiprocessing4j.testing.Dirs.clear;
import static org.multiprocessing4j.testing.Dirs.files;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.multiprocessing4j.drivers.ArchiveFlagDriver;
import org.multiprocessing4j.drivers.LaunchDriver;
import org.multiprocessing4j.testing.Procs;
import org.multiprocessing4j.testing.JavaDriver;
import org.multiprocessing4j.testing.Jars;

/**
 * With a class path of jars, up to JDK 24, the first child trains a class-data-sharing archive and later
 * children, in later JVMs too, map it; none of this shows in the program's output (from JDK 25, see
 * {@link AotCacheTest}). Children of a {@code java} other than this JVM's get no archive. The cache is private, and
 * keeps no temporary file of a training whose JVM was killed.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ChildArchiveTest {
    @TempDir
    Path tmp;

    @Test
    @Tag("cds-training") // left out of the build from JDK 25 (core/pom.xml)
    void firstChildTrainsTheArchiveAndLaterChildrenUseIt() throws Exception {
        assumeTrue(Runtime.version().feature() < 25, "from JDK 25 children use the AOT cache: see AotCacheTest");
        Path core = Jars.create(tmp.resolve("core.jar"), null, null,
                Path.of(System.getProperty("mp4j.test.classes")));
        Path app = Jars.create(tmp.resolve("app.jar"), null, null,
                Path.of(System.getProperty("mp4j.test.testClasses")));
        Path cache = tmp.resolve("cache");
        Path logs = Files.createDirectories(tmp.resolve("logs"));
        List<String> cmd = List.of(JavaDriver.java(),
                "-Dmultiprocessing4j.cacheDir=" + cache,
                "-Dmultiprocessing4j.jvmOptions=-Xlog:class+load:file=" + logs + "/child-%p.log",
                "-cp", core + File.pathSeparator + app, LaunchDriver.class.getName(), "2");

        JavaDriver.Result training = JavaDriver.start(cmd).await(Duration.ofSeconds(60));
        assertThat(training.status()).as(training.toString()).isZero();
        assertThat(training.lines()).as("no CDS chatter on stdout")
                .containsExactly("child-ran Process-1", "exit=0", "child-ran Process-2", "exit=0");
        assertThat(training.stderr()).isEmpty();
        assertThat(files(cache)).as("one archive, no temporary file left").hasSize(1)
                .allMatch(n -> n.matches("child-[0-9a-f]+\\.jsa"));
        assertThat(mode(cache)).as("the cache is private").isEqualTo("rwx------");
        String archive = files(cache).get(0);
        assertThat(mode(cache.resolve(archive))).isEqualTo("rw-------");
        clear(logs);
        // what trainings in JVMs killed while their child dumped left, and one in progress
        Path writerGone = Files.createFile(cache.resolve(archive + "." + Procs.deadPid() + ".tmp"));
        Path old = Files.createFile(cache.resolve("child-0123456789abcdef.jsa." + ProcessHandle.current().pid() + ".tmp"));
        Files.setLastModifiedTime(old, FileTime.from(Instant.now().minus(Duration.ofHours(1))));
        Path inProgress = Files.createFile(cache.resolve(archive + "." + ProcessHandle.current().pid() + ".tmp"));

        JavaDriver.Result using = JavaDriver.start(cmd).await(Duration.ofSeconds(60));
        assertThat(using.status()).as(using.toString()).isZero();
        assertThat(using.lines()).containsExactly("child-ran Process-1", "exit=0", "child-ran Process-2", "exit=0");
        assertThat(writerGone).as("a temporary file whose writer is gone is removed").doesNotExist();
        assertThat(old).as("so is one older than a training takes").doesNotExist();
        assertThat(inProgress).as("one its live writer may still move is left").exists();
        Files.delete(inProgress);
        assertThat(files(cache)).hasSize(1);
        List<String> childLogs = new ArrayList<>();
        for (String log : files(logs)) {
            childLogs.add(Files.readString(logs.resolve(log)));
        }
        assertThat(childLogs).hasSize(2).allSatisfy(log -> assertThat(log)
                .contains("org.multiprocessing4j.internal.launch.ChildMain source: shared objects file (top)"));
    }

    @Test
    void aClassPathWithDirectoriesIsNotArchived() throws Exception {
        Path cache = tmp.resolve("cache");
        JavaDriver.Result r = JavaDriver.start(List.of(JavaDriver.java(), "-Dmultiprocessing4j.cacheDir=" + cache,
                "-cp", JavaDriver.testClassPath(), LaunchDriver.class.getName())).await(Duration.ofSeconds(60));
        assertThat(r.status()).as(r.toString()).isZero();
        assertThat(r.lines()).containsExactly("child-ran Process-1", "exit=0");
        assertThat(Files.exists(cache) ? files(cache) : List.of()).isEmpty();
    }

    @Test
    void childrenOfAnotherJavaGetNoArchive() throws Exception {
        Path core = Jars.create(tmp.resolve("core.jar"), null, null,
                Path.of(System.getProperty("mp4j.test.classes")));
        Path app = Jars.create(tmp.resolve("app.jar"), null, null,
                Path.of(System.getProperty("mp4j.test.testClasses")));
        Path cache = tmp.resolve("cache");
        Path wrapper = tmp.resolve("java"); // the same JDK, but nothing tells its version without running it
        Files.writeString(wrapper, "#!/bin/sh\nexec '" + JavaDriver.java() + "' \"$@\"\n");
        Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwx------"));
        JavaDriver.Result r = JavaDriver.start(List.of(JavaDriver.java(), "-Dmultiprocessing4j.cacheDir=" + cache,
                "-Dmultiprocessing4j.java=" + wrapper, "-cp", core + File.pathSeparator + app,
                ArchiveFlagDriver.class.getName(), "2")).await(Duration.ofSeconds(60));
        assertThat(r.status()).as(r.toString()).isZero();
        assertThat(r.lines()).containsExactly("child []", "exit=0", "child []", "exit=0");
        assertThat(Files.exists(cache) ? files(cache) : List.of()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"open to others", "another user's"})
    void aCacheDirectoryThatIsNotPrivatelyOursIsNotUsed(String how) throws Exception {
        Path core = Jars.create(tmp.resolve("core.jar"), null, null,
                Path.of(System.getProperty("mp4j.test.classes")));
        Path app = Jars.create(tmp.resolve("app.jar"), null, null,
                Path.of(System.getProperty("mp4j.test.testClasses")));
        Path cache = Files.createDirectory(tmp.resolve("cache"));
        if (how.equals("open to others")) {
            Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwxrwxrwx"));
        } else {
            assumeTrue(Files.getOwner(tmp).getName().equals("root"), "needs root, to make a directory of another user");
            Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwx------"));
            Files.setOwner(cache, cache.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("65534"));
        }
        JavaDriver.Result r = JavaDriver.start(List.of(JavaDriver.java(), "-Dmultiprocessing4j.cacheDir=" + cache,
                "-cp", core + File.pathSeparator + app, LaunchDriver.class.getName())).await(Duration.ofSeconds(60));
        assertThat(r.status()).as(r.toString()).isZero();
        assertThat(r.lines()).containsExactly("child-ran Process-1", "exit=0");
        assertThat(files(cache)).as("nothing is written to, or read from, a cache others control").isEmpty();
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    }

}
