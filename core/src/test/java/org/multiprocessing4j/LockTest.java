package org.multiprocessing4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.multiprocessing4j.testing.Targets;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LockTest {

    @ParameterizedTest
    @ValueSource(strings = {"spawn", "forkserver"})
    void aLockHeldByAnotherProcessIsLockedAndATimedAcquireGivesUpAfterItsTimeout(String method) throws Exception {
        try (Lock lock = new Lock(); Event held = new Event(); Event done = new Event()) {
            Process p = Multiprocessing.getContext(method).process(() -> {
                lock.acquire();
                held.set();
                done.await();
                lock.release();
            });
            p.start();
            assertThat(held.await(Duration.ofSeconds(30))).isTrue();
            assertThat(lock.isLocked()).isTrue();
            long t0 = System.nanoTime();
            assertThat(lock.acquire(Duration.ofMillis(300))).isFalse();
            assertThat(System.nanoTime() - t0).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(300));
            assertThat(lock.tryLock()).isFalse();
            done.set();
            assertThat(lock.acquire(Duration.ofSeconds(30))).isTrue(); // woken by the child's release
            lock.release();
            p.join();
            assertThat(p.exitCode()).isZero();
        }
    }

    @Test
    void threadsOfSeveralProcessesTakingTurnsUnderALockLoseNoUpdate() throws Exception {
        int processes = 2;
        int threads = 3;
        int each = 5_000;
        try (Lock lock = new Lock(); SharedInt counter = Value.rawInt(0); Barrier start = new Barrier(processes * threads + 1)) {
            SerializableRunnable body = () -> {
                List<Thread> ts = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    Thread th = new Thread(() -> {
                        try {
                            start.await(Duration.ofSeconds(60));
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                        for (int i = 0; i < each; i++) {
                            lock.acquire();
                            counter.set(counter.get() + 1); // not atomic: only the lock keeps it exact
                            lock.release();
                        }
                    });
                    th.start();
                    ts.add(th);
                }
                for (Thread th : ts) {
                    try {
                        th.join();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                }
            };
            List<Process> ps = new ArrayList<>();
            for (int p = 0; p < processes; p++) {
                Process proc = new Process(body);
                proc.start();
                ps.add(proc);
            }
            start.await(Duration.ofSeconds(60)); // everyone starts at once
            for (Process proc : ps) {
                proc.join();
                assertThat(proc.exitCode()).isZero();
            }
            assertThat(counter.get()).isEqualTo(processes * threads * each);
            assertThat(lock.isLocked()).isFalse();
        }
    }

    @Test
    void anyProcessMayReleaseALockButNotAnUnlockedOne() throws Exception {
        try (Lock lock = new Lock()) {
            lock.acquire();
            Process p = new Process(lock::release);
            p.start();
            p.join();
            assertThat(p.exitCode()).isZero();
            assertThat(lock.isLocked()).isFalse();
            assertThatThrownBy(lock::release).isInstanceOf(IllegalStateException.class).hasMessageContaining("unlocked");
        }
    }

    @Test
    void anRLockIsReentrantAndOnlyItsOwnerMayReleaseIt() throws Exception {
        try (RLock lock = new RLock(); Queue<String> out = new Queue<>()) {
            lock.acquire();
            lock.acquire();
            assertThat(lock.getHoldCount()).isEqualTo(2);
            Process p = new Process(() -> {
                try {
                    lock.release();
                    out.put("released");
                } catch (IllegalStateException e) {
                    out.put("refused: " + e.getMessage());
                }
                out.put(lock.acquire(Duration.ofMillis(100)) ? "acquired" : "busy");
            });
            p.start();
            assertThat(out.get()).startsWith("refused");
            assertThat(out.get()).isEqualTo("busy");
            p.join();
            lock.release();
            assertThat(lock.isLocked()).isTrue();
            lock.release();
            assertThat(lock.isLocked()).isFalse();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"spawn", "forkserver"})
    void whenTheHolderIsKilledTheNextAcquirerTakesTheLockOverAndIsTold(String method) throws Exception {
        try (Lock lock = new Lock(); RLock rlock = new RLock(); Event held = new Event()) {
            Process p = Multiprocessing.getContext(method).process(() -> {
                lock.acquire();
                rlock.acquire();
                rlock.acquire();
                held.set();
                Targets.sleep(600_000);
            });
            p.start();
            assertThat(held.await(Duration.ofSeconds(30))).isTrue();
            p.kill();
            p.join();
            assertThat(lock.acquire(Duration.ofSeconds(10))).isTrue();
            assertThat(lock.ownerDied()).isTrue();
            lock.release();
            assertThat(lock.ownerDied()).isFalse();
            assertThat(rlock.acquire(Duration.ofSeconds(10))).isTrue();
            assertThat(rlock.ownerDied()).isTrue();
            assertThat(rlock.getHoldCount()).isEqualTo(1);
            rlock.release();
            assertThat(rlock.isLocked()).isFalse();
        }
    }
}
