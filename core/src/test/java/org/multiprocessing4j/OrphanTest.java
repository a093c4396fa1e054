package org.multiprocessing4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.multiprocessing4j.drivers.OrphanDriver;
import org.multiprocessing4j.testing.Await;
import org.multiprocessing4j.testing.JavaDriver;
import org.multiprocessing4j.testing.Procs;

/** Python leaves orphans when the parent is killed (gh-80180); we do not. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class OrphanTest {

    @ParameterizedTest
    @ValueSource(strings = {"spawn", "forkserver"})
    void killingTheParentWithSigkillEndsChildrenAndGrandchildrenWithinTwoSeconds(String method) throws Exception {
        JavaDriver.Running driver = JavaDriver.startWith(method, OrphanDriver.class);
        driver.awaitOutput("grandchild.pid=", Duration.ofSeconds(30));
        driver.awaitOutput("daemon.pid=", Duration.ofSeconds(30));
        String out = driver.awaitOutput("child.pid=", Duration.ofSeconds(30));
        long child = pid(out, "child.pid=");
        long grandchild = pid(out, "grandchild.pid=");
        long daemon = pid(out, "daemon.pid=");
        assertThat(ProcessHandle.of(child)).isPresent();
        assertThat(ProcessHandle.of(grandchild)).isPresent();
        assertThat(ProcessHandle.of(daemon)).isPresent();

        // Everything under the parent: its children, the grandchild, and forkserver's spares.
        long[] tree = driver.process.descendants().mapToLong(ProcessHandle::pid).toArray();
        assertThat(tree).contains(child, grandchild, daemon);

        driver.process.toHandle().destroyForcibly(); // SIGKILL: no shutdown hook runs in the parent
        driver.process.waitFor();
        long killedAt = System.nanoTime();

        for (long pid : tree) {
            Duration left = Duration.ofSeconds(2).minusNanos(System.nanoTime() - killedAt);
            Await.until(left.isNegative() ? Duration.ZERO : left, () -> !Procs.isRunning(pid),
                    () -> "process " + pid + " to end within 2 s of its parent's SIGKILL");
        }
    }

    private static long pid(String out, String key) {
        return out.lines().filter(l -> l.startsWith(key)).mapToLong(l -> Long.parseLong(l.substring(key.length())))
                .findFirst().orElseThrow();
    }
}
