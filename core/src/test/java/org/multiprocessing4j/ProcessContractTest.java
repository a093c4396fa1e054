package org.multiprocessing4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.multiprocessing4j.testing.Targets;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
abstract class ProcessContractTest {

    /** The start method every process of this suite uses. */
    abstract String method();

    Process process(SerializableRunnable target) {
        return Multiprocessing.getContext(method()).process(target);
    }

    @Test
    void startJoinAndExitCodeOfANormalReturn() {
        Process p = process(() -> { });
        assertThat(p.pid()).isNull();
        assertThat(p.exitCode()).isNull();
        assertThat(p.isAlive()).isFalse();
        p.start();
        assertThat(p.pid()).isPositive().isNotEqualTo(ProcessHandle.current().pid());
        p.join();
        assertThat(p.exitCode()).isZero();
        assertThat(p.isAlive()).isFalse();
        assertThat(p.toString()).contains("stopped exitcode=0");
        p.close();
    }

    @Test
    void aTargetFarLargerThanAPipeBufferArrivesWhole() {
        String big = "x".repeat(999_999) + "z"; // the child reads its target from a pipe, in pieces
        Process p = process(() -> System.exit(big.length() == 1_000_000 && big.endsWith("xz") ? 7 : 1));
        p.start();
        p.join();
        assertThat(p.exitCode()).isEqualTo(7);
    }

    @Test
    void joinWithTimeoutReportsWhetherTheChildEnded() {
        Process p = process(() -> Targets.sleep(60_000));
        p.start();
        try {
            assertThat(p.join(Duration.ofMillis(200))).isFalse();
            assertThat(p.isAlive()).isTrue();
            assertThat(p.exitCode()).isNull();
            assertThat(p.join(Duration.ofMillis(-5))).isFalse();
            assertThat(p.toString()).contains("started");
        } finally {
            p.kill();
        }
        assertThat(p.join(Duration.ofSeconds(30))).isTrue();
        assertThat(p.exitCode()).isEqualTo(-9);
    }

    @Test
    void exitCodesFollowPython() {
        Process exit3 = process(() -> System.exit(3));
        Process exit137 = process(() -> System.exit(137));
        Process halt5 = process(() -> Runtime.getRuntime().halt(5));
        Process terminated = process(() -> Targets.sleep(60_000));
        Process killed = process(() -> Targets.sleep(60_000));
        for (Process p : new Process[] {exit3, exit137, halt5, terminated, killed}) {
            p.start();
        }
        terminated.terminate();
        killed.kill();
        for (Process p : new Process[] {exit3, exit137, halt5, terminated, killed}) {
            p.join();
        }
        assertThat(exit3.exitCode()).isEqualTo(3);
        assertThat(exit137.exitCode()).as("a voluntary exit(137) is not a SIGKILL").isEqualTo(137);
        assertThat(halt5.exitCode()).isEqualTo(5);
        assertThat(terminated.exitCode()).isEqualTo(-15);
        assertThat(terminated.toString()).contains("exitcode=-SIGTERM");
        assertThat(killed.exitCode()).isEqualTo(-9);
    }

    @Test
    void terminateOfARunningChildIsSeenAtOnce() {
        Process p = process(() -> Targets.sleep(60_000));
        p.start();
        p.terminate();
        assertThat(p.join(Duration.ofSeconds(10))).isTrue();
        assertThat(p.exitCode()).isEqualTo(-15);
        p.terminate(); // an ended process is left alone
        p.kill();
        assertThat(p.exitCode()).isEqualTo(-15);
    }

    @Test
    void refusedLifecycleCalls() {
        Process p = process(() -> Targets.sleep(60_000));
        assertThatThrownBy(p::join).isInstanceOf(IllegalStateException.class).hasMessageContaining("started");
        assertThatThrownBy(() -> p.join(Duration.ZERO)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(p::terminate).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(p::kill).isInstanceOf(IllegalStateException.class);
        p.start();
        try {
            assertThatThrownBy(p::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("twice");
            assertThatThrownBy(() -> p.setDaemon(true)).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(p::close).isInstanceOf(IllegalStateException.class).hasMessageContaining("running");
        } finally {
            p.kill();
            p.join();
        }
        p.close();
        p.close(); // twice is allowed
        assertThatThrownBy(p::isAlive).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(p::exitCode).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(p::start).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(p::join).isInstanceOf(IllegalStateException.class);
        assertThat(p.name()).startsWith("Process-");
    }

    @Test
    void aNeverStartedProcessCanBeClosed() {
        Process p = process(() -> { });
        p.close();
        assertThatThrownBy(p::start).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void nullTargetIsRefused() {
        assertThatThrownBy(() -> process(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void interruptedJoinThrowsProcessErrorAndKeepsTheFlag() {
        Process p = process(() -> Targets.sleep(60_000));
        p.start();
        try {
            Thread.currentThread().interrupt();
            assertThatThrownBy(p::join).isInstanceOf(ProcessError.class)
                    .hasCauseInstanceOf(InterruptedException.class);
            assertThat(Thread.interrupted()).isTrue();
        } finally {
            p.kill();
            p.join();
        }
    }

    @Test
    void activeChildrenListsRunningChildrenOnly() {
        Process running = process(() -> Targets.sleep(60_000));
        Process quick = process(() -> { });
        running.start();
        quick.start();
        quick.join();
        try {
            assertThat(Multiprocessing.activeChildren()).contains(running).doesNotContain(quick);
        } finally {
            running.kill();
            running.join();
        }
        assertThat(Multiprocessing.activeChildren()).doesNotContain(running);
    }

    @Test
    void childrenRunInParallel() {
        Process[] ps = new Process[3];
        for (int i = 0; i < ps.length; i++) {
            ps[i] = process(() -> Targets.sleep(60_000));
            ps[i].start();
        }
        try {
            for (Process p : ps) {
                assertThat(p.isAlive()).isTrue();
            }
            assertThat(java.util.Arrays.stream(ps).map(Process::pid).distinct()).hasSize(3);
        } finally {
            for (Process p : ps) {
                p.terminate();
                p.join();
            }
        }
    }

    @Test
    void mainProcessAndParent() {
        Process me = Multiprocessing.currentProcess();
        assertThat(me.name()).isEqualTo("MainProcess");
        assertThat(me.pid()).isEqualTo(ProcessHandle.current().pid());
        assertThat(me.isAlive()).isTrue();
        assertThat(me.isDaemon()).isFalse();
        assertThat(Multiprocessing.parentProcess()).isNull();
        assertThatThrownBy(me::start).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(me::join).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void cpuCountIsTheJvmsProcessorCount() {
        assertThat(Multiprocessing.cpuCount()).isPositive().isEqualTo(Runtime.getRuntime().availableProcessors());
    }
}
