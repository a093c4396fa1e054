package org.multiprocessing4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.multiprocessing4j.testing.Targets;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SemaphoreEventTest {

    @Test
    void aSemaphoreCountsPermitsAcrossProcesses() throws Exception {
        try (Semaphore s = new Semaphore(2); Semaphore started = new Semaphore(0)) {
            assertThat(s.getValue()).isEqualTo(2);
            s.acquire();
            s.acquire();
            assertThat(s.getValue()).isZero();
            assertThat(s.acquire(Duration.ofMillis(200))).isFalse();
            Process p = new Process(() -> {
                started.release();
                s.acquire(); // waits for the parent's release
                s.acquire();
            });
            p.start();
            started.acquire();
            s.release(2);
            p.join();
            assertThat(p.exitCode()).isZero();
            assertThat(s.getValue()).isZero();
            s.release(); // a plain semaphore has no bound
            s.release();
            s.release();
            assertThat(s.getValue()).isEqualTo(3);
            assertThatThrownBy(() -> new Semaphore(-1)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void aBoundedSemaphoreRefusesToGoAboveItsBound() throws Exception {
        try (BoundedSemaphore s = new BoundedSemaphore(2)) {
            assertThatThrownBy(s::release).isInstanceOf(IllegalStateException.class).hasMessageContaining("too many");
            s.acquire();
            Process p = new Process(s::release); // another process may release
            p.start();
            p.join();
            assertThat(p.exitCode()).isZero();
            assertThat(s.getValue()).isEqualTo(2);
            assertThatThrownBy(s::release).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void permitsOfAProcessKilledHoldingThemComeBackToABoundedSemaphore() throws Exception {
        try (BoundedSemaphore s = new BoundedSemaphore(2); Event held = new Event()) {
            Process p = new Process(() -> {
                s.acquire();
                s.acquire();
                held.set();
                Targets.sleep(600_000);
            });
            p.start();
            assertThat(held.await(Duration.ofSeconds(30))).isTrue();
            assertThat(s.getValue()).isZero();
            p.kill();
            p.join();
            assertThat(s.acquire(Duration.ofSeconds(10))).isTrue();
            assertThat(s.ownerDied()).isTrue();
            assertThat(s.getValue()).isEqualTo(1);
            s.release();
            assertThat(s.getValue()).isEqualTo(2);
        }
    }

    @Test
    void setWakesEveryWaiterInEveryProcess() throws Exception {
        try (Event go = new Event(); Semaphore waiting = new Semaphore(0); Queue<String> out = new Queue<>()) {
            assertThat(go.isSet()).isFalse();
            assertThat(go.await(Duration.ofMillis(100))).isFalse();
            List<Process> ps = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                int n = i;
                Process p = new Process(() -> {
                    waiting.release();
                    go.await();
                    out.put("woken " + n);
                });
                ps.add(p);
                p.start();
            }
            for (int i = 0; i < 4; i++) {
                waiting.acquire();
            }
            go.set();
            List<String> got = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                got.add(out.get());
            }
            assertThat(got).containsExactlyInAnyOrder("woken 0", "woken 1", "woken 2", "woken 3");
            for (Process p : ps) {
                p.join();
                assertThat(p.exitCode()).isZero();
            }
            assertThat(go.isSet()).isTrue();
            assertThat(go.await(Duration.ZERO)).isTrue();
            go.clear();
            assertThat(go.isSet()).isFalse();
            assertThat(go.await(Duration.ofMillis(50))).isFalse();
        }
    }

    @Test
    void aClosedHandleRefusesWork() throws Exception {
        Event e = new Event();
        e.close();
        e.close(); // twice is allowed
        assertThatThrownBy(e::set).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }
}
