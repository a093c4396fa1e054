package org.multiprocessing4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.multiprocessing4j.drivers.GrandchildDriver;
import org.multiprocessing4j.drivers.LaunchDriver;
import org.multiprocessing4j.testing.JavaDriver;
import org.multiprocessing4j.testing.Jars;

/**
 * A child JVM must find its classes however the parent was launched: plain {@code java -cp}, an
 * executable jar, the module path. (Surefire's manifest-only jar is how every other test runs.)
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LaunchModesTest {
    private static final Path CLASSES = Path.of(System.getProperty("mp4j.test.classes"));
    private static final Path TEST_CLASSES = Path.of(System.getProperty("mp4j.test.testClasses"));

    @TempDir
    Path tmp;

    @Test
    void plainClassPath() throws Exception {
        JavaDriver.Result r = JavaDriver.run(Duration.ofSeconds(60), LaunchDriver.class);
        assertChildRan(r);
    }

    @Test
    void executableJar() throws Exception {
        // The jar holds the driver; its manifest points at core's classes, as an application's jar
        // points at its libraries.
        Path jar = Jars.create(tmp.resolve("app.jar"), LaunchDriver.class.getName(),
                CLASSES.toUri().toString(), TEST_CLASSES);
        JavaDriver.Result r = JavaDriver.start(List.of(JavaDriver.java(), "-jar", jar.toString()))
                .await(Duration.ofSeconds(60));
        assertChildRan(r);
    }

    @Test
    void modulePath() throws Exception {
        Path src = tmp.resolve("src/demo");
        Files.createDirectories(src.resolve("demo"));
        Files.writeString(src.resolve("module-info.java"), "module demo { requires org.multiprocessing4j; }");
        Files.writeString(src.resolve("demo/Main.java"), String.join("\n",
                "package demo;",
                "import org.multiprocessing4j.Multiprocessing;",
                "import org.multiprocessing4j.Process;",
                "public class Main {",
                "  public static void main(String[] args) {",
                "    String module = Main.class.getModule().getName();",
                "    Process p = new Process(() -> System.out.println(\"child-ran \"",
                "        + Multiprocessing.currentProcess().name() + \" in module \" + module",
                "        + \" core in \" + Process.class.getModule().getName()));",
                "    p.start();",
                "    p.join();",
                "    System.out.println(\"exit=\" + p.exitCode());",
                "  }",
                "}"));
        Path out = tmp.resolve("mods/demo");
        String javac = Path.of(System.getProperty("java.home"), "bin", "javac").toString();
        JavaDriver.Result compiled = JavaDriver.start(List.of(javac, "--module-path", CLASSES.toString(),
                "-d", out.toString(), src.resolve("module-info.java").toString(),
                src.resolve("demo/Main.java").toString())).await(Duration.ofSeconds(60));
        assertThat(compiled.status()).as(compiled.toString()).isZero();

        JavaDriver.Result r = JavaDriver.start(List.of(JavaDriver.java(),
                "--module-path", CLASSES + File.pathSeparator + out, "-m", "demo/demo.Main"))
                .await(Duration.ofSeconds(60));
        assertThat(r.status()).as(r.toString()).isZero();
        assertThat(r.lines()).contains("child-ran Process-1 in module demo core in org.multiprocessing4j");
        assertThat(r.value("exit")).isEqualTo("0");
    }

    @Test
    void childrenCarryTheParentMarkerAndNoSecretsInTheirCommandLine() {
        Process p = new Process(() -> org.multiprocessing4j.testing.Targets.sleep(60_000));
        p.start();
        try {
            String cmd = ProcessHandle.of(p.pid()).flatMap(h -> h.info().commandLine()).orElse("");
            assertThat(cmd).contains("-Dmultiprocessing4j.parent=" + ProcessHandle.current().pid());
            assertThat(cmd).doesNotContainIgnoringCase("authkey");
        } finally {
            p.kill();
            p.join();
        }
    }

    @Test
    void theOptionsForEveryChildReachGrandchildren() throws Exception {
        JavaDriver.Result r = JavaDriver.start(List.of(JavaDriver.java(),
                "-Dmultiprocessing4j.jvmOptions=-Dmp4j.test.mark=every-child", "-cp", JavaDriver.testClassPath(),
                GrandchildDriver.class.getName())).await(Duration.ofSeconds(60));
        assertThat(r.status()).as(r.toString()).isZero();
        assertThat(r.lines()).as(r.toString()).containsExactly("grandchild sees every-child", "exit=0");
    }

    private static void assertChildRan(JavaDriver.Result r) {
        assertThat(r.status()).as(r.toString()).isZero();
        assertThat(r.lines()).containsExactly("child-ran Process-1", "exit=0");
        assertThat(r.stderr()).isEmpty();
    }
}
