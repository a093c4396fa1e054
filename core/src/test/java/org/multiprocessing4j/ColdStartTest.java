package org.multiprocessing4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.multiprocessing4j.drivers.ColdStartDriver;
import org.multiprocessing4j.drivers.PipeColdDriver;
import org.multiprocessing4j.testing.JavaDriver;

/**
 * What a new JVM's first {@code start()} and {@code join()} leave out: set-ups of the JDK that cost a
 * cold JVM tens of milliseconds each and that the library needs none of. Read from the classes the
 * program's JVM loaded ({@code -Xlog:class+load}).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ColdStartTest {

    @Test
    void theFirstStartAndJoinSetUpNoSecurityProviderNoLoggingAndNoFlightRecorder(@TempDir Path dir)
            throws Exception {
        Loaded classes = run(dir, ColdStartDriver.class);
        String loaded = classes.program();
        assertThat(loaded).contains("org.multiprocessing4j.Process ");
        assertThat(loaded)
                .as("the JCA providers (SHA-1 of an array class's serialVersionUID, SecureRandom of a temp name)")
                .doesNotContain("sun.security.provider.SHA ", "sun.security.provider.SecureRandom ",
                        "sun.security.provider.NativePRNG ")
                .as("java.util.logging, set up by a logger's first lookup")
                .doesNotContain("java.util.logging.LogManager ");
        String childLoaded = classes.child();
        // the first Flight Recorder event class a JVM loads sets up the recorder's Java side, 150-200 ms
        // of a new JVM's CPU; while nothing records, the library's events are not even created
        assertThat(loaded).as("the program's JVM, which nothing records").doesNotContain("jdk.jfr.Event ");
        assertThat(childLoaded).as("its child, which nothing records").doesNotContain("jdk.jfr.Event ");
    }

    /**
     * Connections opened and closed, in the program and in its child, create no event either, and load no
     * event class. (A class that passed an event where its supertype is expected would have the verifier
     * load the event's class, and {@code jdk.jfr.Event} with it, as soon as that class is linked.)
     */
    @Test
    void connectionsOpenedAndClosedSetUpNoFlightRecorder(@TempDir Path dir) throws Exception {
        Loaded classes = run(dir, PipeColdDriver.class);
        assertThat(classes.program()).contains("org.multiprocessing4j.internal.wire.SocketTransport ")
                .as("the program's JVM, which nothing records").doesNotContain("jdk.jfr.Event ");
        assertThat(classes.child()).contains("org.multiprocessing4j.internal.wire.SocketTransport ")
                .as("its child, which nothing records").doesNotContain("jdk.jfr.Event ");
    }

    /** The classes a driver's JVM and its one child loaded ({@code -Xlog:class+load}). */
    private record Loaded(String program, String child) {
    }

    /** Runs {@code driver} in a new JVM, whose one child it starts, and reads what each loaded. */
    private static Loaded run(Path dir, Class<?> driver) throws Exception {
        Path log = dir.resolve("classes.log");
        Path childLogs = Files.createDirectories(dir.resolve("children"));
        // no archive for the children: a training would start JVMs of its own, which log too
        JavaDriver.Result r = JavaDriver.start(List.of(JavaDriver.java(), "-Xlog:class+load:file=" + log,
                "-Dmultiprocessing4j.cds=false",
                "-Dmultiprocessing4j.jvmOptions=-Xlog:class+load:file=" + childLogs + "/child-%p.log",
                "-cp", JavaDriver.testClassPath(), driver.getName())).await(Duration.ofSeconds(45));
        assertThat(r.status()).as("the driver's child ran: %s", r).isZero();
        List<Path> children;
        try (Stream<Path> files = Files.list(childLogs)) {
            children = files.toList();
        }
        assertThat(children).as("the child's log").hasSize(1);
        String childLoaded = Files.readString(children.get(0));
        assertThat(childLoaded).contains("org.multiprocessing4j.internal.launch.ChildMain ");
        return new Loaded(Files.readString(log), childLoaded);
    }

    /**
     * The library's classes concatenate strings with {@code StringBuilder}, not with {@code invokedynamic},
     * whose first use of each shape spins method handles in a cold JVM (the build's
     * {@code -XDstringConcat=inline}): no class file names the JDK's concatenation bootstrap.
     */
    @Test
    void noClassOfTheLibraryConcatenatesWithInvokedynamic() throws Exception {
        Path classes = Path.of(System.getProperty("mp4j.test.classes"));
        List<Path> files;
        try (Stream<Path> walk = Files.walk(classes)) {
            files = walk.filter(p -> p.toString().endsWith(".class")).toList();
        }
        assertThat(files).hasSizeGreaterThan(100);
        List<String> concatenating = new ArrayList<>();
        for (Path f : files) {
            // the class file's constant pool holds the bootstrap's name as plain ASCII
            if (new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1).contains("makeConcatWithConstants")) {
                concatenating.add(classes.relativize(f).toString());
            }
        }
        assertThat(concatenating).isEmpty();
    }
}
