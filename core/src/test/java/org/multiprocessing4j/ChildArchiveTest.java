package org.multiprocessing4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.multiprocessing4j.drivers.LaunchDriver;
import org.multiprocessing4j.testing.JavaDriver;
import org.multiprocessing4j.testing.Jars;

/**
 * With a class path of jars, the first child trains a class-data-sharing archive and later children,
 * in later JVMs too, map it; none of this shows in the program's output.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ChildArchiveTest {
    @TempDir
    Path tmp;

    @Test
    void firstChildTrainsTheArchiveAndLaterChildrenUseIt() throws Exception {
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
        clear(logs);

        JavaDriver.Result using = JavaDriver.start(cmd).await(Duration.ofSeconds(60));
        assertThat(using.status()).as(using.toString()).isZero();
        assertThat(using.lines()).containsExactly("child-ran Process-1", "exit=0", "child-ran Process-2", "exit=0");
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

    private static List<String> files(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    private static void clear(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.collect(Collectors.toList())) {
                Files.delete(p);
            }
        }
    }
}
