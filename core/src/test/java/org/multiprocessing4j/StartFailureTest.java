package org.multiprocessing4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.multiprocessing4j.drivers.StartFailureDriver;
import org.multiprocessing4j.testing.JavaDriver;

/**
 * Children whose JVM cannot start: a program whose library was loaded by a class loader of its own
 * (a Spring Boot fat jar) gives its children a class path without {@code ChildMain}. A pool then fails
 * its work and refuses more after a few JVMs, instead of starting them for ever; a process says why at
 * {@code join()} and {@code exitCode()}. Every child JVM goes through a {@code java} that counts them.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StartFailureTest {
    private static final String NO_MAIN = "Could not find or load main class org.multiprocessing4j.internal.launch.ChildMain";

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"spawn", "forkserver"})
    void aPoolWhoseWorkersCannotStartFailsItsWorkAndRefusesMore(String method) throws Exception {
        JavaDriver.Result r = runFatJar(method, "pool");
        assertThat(r.value("map")).as(r.toString()).isEqualTo(ProcessError.class.getName());
        String message = block(r, "map-message");
        assertThat(message).contains("exit code 1").contains(NO_MAIN);
        assertThat(Long.parseLong(r.value("elapsedMillis"))).isLessThan(60_000);
        assertThat(r.value("apply")).isEqualTo(ProcessError.class.getName());
        assertThat(block(r, "apply-message")).contains("exit code 1").contains(NO_MAIN);
        assertThat(r.value("end")).isEqualTo("ok");
        assertThat(jvmsStarted()).as("2 slots, 3 attempts each, and a few spares").isBetween(3L, 2L * 3 + 4);
    }

    @ParameterizedTest
    @ValueSource(strings = {"spawn", "forkserver"})
    void aProcessThatCannotStartSaysSoAtJoinAndExitCode(String method) throws Exception {
        JavaDriver.Result r = runFatJar(method, "process");
        assertThat(r.value("join")).as(r.toString()).isEqualTo(ProcessError.class.getName());
        String message = block(r, "join-message");
        assertThat(message).contains("Process-1").contains("could not start").contains("exit code 1");
        // a child spawned has the program's stderr; a forkserver spare's is piped and its tail kept (but
        // the first process may be spawned cold, before a spare is ready)
        if (method.equals("spawn")) {
            assertThat(message).contains("its stderr above says why");
        } else {
            assertThat(message).containsAnyOf("its stderr above says why", NO_MAIN);
        }
        assertThat(r.stderr()).contains(NO_MAIN);
        assertThat(r.value("alive")).isEqualTo("false");
        assertThat(r.value("exitCode")).isEqualTo(ProcessError.class.getName());
        assertThat(block(r, "exitCode-message")).isEqualTo(message);
        assertThat(r.stderr()).as("a logged warning").contains("WARNING").contains(message.lines().findFirst().get());
        assertThat(r.stdout()).doesNotContain("ran\n");
        assertThat(r.value("end")).isEqualTo("ok");
    }

    @Test
    void aWorkerThatConnectsResetsItsSlotsCount() throws Exception {
        // every third JVM starts; the others die at once: never three failures in a row
        Path java = javaScript("n=$(( $(cat \"$COUNT\" | wc -l) ))\n"
                + "if [ $((n % 3)) -ne 0 ]; then echo \"no JVM this time ($n)\" >&2; exit 1; fi\n");
        List<String> cmd = new ArrayList<>(List.of(JavaDriver.java(), "-Dmultiprocessing4j.startMethod=spawn",
                "-Dmultiprocessing4j.java=" + java, "-cp", JavaDriver.testClassPath(),
                StartFailureDriver.Program.class.getName(), "flaky"));
        JavaDriver.Result r = JavaDriver.start(cmd).await(Duration.ofSeconds(90));
        assertThat(r.value("result")).as(r.toString()).isEqualTo("[2, 4, 6]");
        assertThat(jvmsStarted()).isGreaterThanOrEqualTo(9L);
    }

    /** Runs the driver with the library outside its class path, as a fat jar would have it. */
    private JavaDriver.Result runFatJar(String method, String mode) throws Exception {
        Path java = javaScript("");
        String[] dirs = JavaDriver.testClassPath().split(File.pathSeparator);
        List<String> cmd = new ArrayList<>(List.of(JavaDriver.java(), "-Dmultiprocessing4j.startMethod=" + method,
                "-Dmultiprocessing4j.java=" + java, "-cp", System.getProperty("mp4j.test.testClasses"),
                StartFailureDriver.class.getName(), mode));
        cmd.addAll(List.of(dirs));
        return JavaDriver.start(cmd).await(Duration.ofSeconds(90));
    }

    /** A {@code java} that notes each start in a file, runs {@code body}, then the real {@code java}. */
    private Path javaScript(String body) throws IOException {
        Path count = tmp.resolve("count");
        Files.createFile(count);
        Path script = tmp.resolve("java");
        Files.writeString(script, "#!/bin/sh\nCOUNT='" + count + "'\necho started >> \"$COUNT\"\n" + body
                + "exec '" + JavaDriver.java() + "' \"$@\"\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    private long jvmsStarted() throws IOException {
        return Files.readAllLines(tmp.resolve("count")).size();
    }

    /** The lines after {@code key=} up to the line {@code =end}. */
    private static String block(JavaDriver.Result r, String key) {
        String out = r.stdout();
        int from = out.indexOf(key + "=");
        assertThat(from).as(r.toString()).isNotNegative();
        from += key.length() + 1;
        return out.substring(from, out.indexOf("\n=end", from));
    }
}
