package org.multiprocessing4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.multiprocessing4j.drivers.DaemonDriver;
import org.multiprocessing4j.testing.JavaDriver;
import org.multiprocessing4j.testing.Procs;
import org.multiprocessing4j.testing.Targets;

@Timeout(value = 90, unit = TimeUnit.SECONDS)
class DaemonTest {

    @ParameterizedTest
    @ValueSource(strings = {"spawn", "forkserver"})
    void aDaemonicProcessMayNotStartChildren(String method) throws Exception {
        JavaDriver.Result r = JavaDriver.runWith(method, Duration.ofSeconds(60), DaemonDriver.class, "no-children");
        assertThat(r.status()).as(r.toString()).isZero();
        assertThat(r.value("refused")).contains("daemonic processes are not allowed to have children");
        assertThat(r.stdout()).doesNotContain("started a grandchild");
        assertThat(r.value("exit")).isEqualTo("0");
    }

    @ParameterizedTest
    @ValueSource(strings = {"spawn", "forkserver"})
    void atExitTheJvmWaitsForNonDaemonicChildrenAndTerminatesDaemonicOnes(String method) throws Exception {
        JavaDriver.Running driver = JavaDriver.startWith(method, DaemonDriver.class, "exit");
        driver.awaitOutput("main returns", Duration.ofSeconds(30));
        JavaDriver.Result r = driver.await(Duration.ofSeconds(30));
        assertThat(r.status()).as(r.toString()).isZero();
        assertThat(r.lines()).containsSubsequence("main returns", "non-daemon done");
        long daemonPid = Long.parseLong(r.value("daemon.pid"));
        assertThat(Procs.isRunning(daemonPid))
                .as("the daemon was terminated when its parent exited").isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"spawn", "forkserver"})
    void systemExitInMainWaitsForNonDaemonicChildrenToo(String method) throws Exception {
        JavaDriver.Result r = JavaDriver.runWith(method, Duration.ofSeconds(30), DaemonDriver.class, "exit-call");
        assertThat(r.status()).as(r.toString()).isEqualTo(4);
        assertThat(r.lines()).containsSubsequence("main calls System.exit", "non-daemon done");
    }

    @Test
    void aParentStoppedBySigtermTerminatesItsChildrenInsteadOfWaiting() throws Exception {
        JavaDriver.Running driver = JavaDriver.start(DaemonDriver.class, "signalled");
        String out = driver.awaitOutput("worker.pid=", Duration.ofSeconds(30));
        long worker = Long.parseLong(out.lines().filter(l -> l.startsWith("worker.pid=")).findFirst()
                .orElseThrow().substring("worker.pid=".length()));
        long sent = System.nanoTime();
        driver.process.toHandle().destroy(); // SIGTERM
        JavaDriver.Result r = driver.await(Duration.ofSeconds(20));
        assertThat(Duration.ofNanos(System.nanoTime() - sent)).as("the parent stops at once")
                .isLessThan(Duration.ofSeconds(10));
        assertThat(r.status()).isEqualTo(143);
        assertThat(Procs.isRunning(worker)).as("the child was terminated").isFalse();
    }

    @Test
    void aPoolNeverClosedIsTerminatedAtExitWithAWarning() throws Exception {
        JavaDriver.Result r = JavaDriver.run(Duration.ofSeconds(60), DaemonDriver.class, "unclosed-pool");
        assertThat(r.status()).as(r.toString()).isZero();
        assertThat(r.value("mapped")).isEqualTo("[2, 4, 6]");
        assertThat(r.stderr()).as(r.toString()).contains("a Pool was never closed");
        for (String pid : r.value("workers").split(",")) {
            assertThat(Procs.isRunning(Long.parseLong(pid))).as("worker %s is gone", pid).isFalse();
        }
    }

    @Test
    void daemonFlagIsInheritedAndSettableBeforeStart() {
        Process p = new Process(() -> Targets.sleep(60_000));
        assertThat(p.isDaemon()).isFalse();
        p.setDaemon(true);
        assertThat(p.isDaemon()).isTrue();
        p.start();
        try {
            assertThat(p.toString()).contains("daemon");
        } finally {
            p.terminate();
            p.join();
        }
    }
}
