package org.multiprocessing4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ConditionBarrierTest {

    /** Waits on {@code cond}: counts itself sleeping, then woken. */
    private static void sleeper(Condition cond, Semaphore sleeping, Semaphore woken) {
        cond.acquire();
        try {
            sleeping.release();
            cond.await((Duration) null);
            woken.release();
        } finally {
            cond.release();
        }
    }

    @Test
    void signalWakesAsManyWaitersAsAskedInProcessesAndThreads() throws Exception {
        try (Condition cond = new Condition(); Semaphore sleeping = new Semaphore(0); Semaphore woken = new Semaphore(0)) {
            List<Process> ps = new ArrayList<>();
            List<Thread> ts = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Process p = new Process(() -> sleeper(cond, sleeping, woken));
                p.start();
                ps.add(p);
                Thread t = new Thread(() -> sleeper(cond, sleeping, woken));
                t.start();
                ts.add(t);
            }
            for (int i = 0; i < 6; i++) {
                assertThat(sleeping.acquire(Duration.ofSeconds(60))).isTrue();
            }
            assertThat(woken.getValue()).isZero();

            wake(cond, 1);
            assertThat(woken.acquire(Duration.ofSeconds(30))).isTrue();
            assertThat(woken.acquire(Duration.ofMillis(300))).isFalse(); // only one

            wake(cond, 2);
            assertThat(woken.acquire(Duration.ofSeconds(30))).isTrue();
            assertThat(woken.acquire(Duration.ofSeconds(30))).isTrue();
            assertThat(woken.acquire(Duration.ofMillis(300))).isFalse();

            cond.acquire();
            cond.signalAll();
            cond.release();
            for (int i = 0; i < 3; i++) {
                assertThat(woken.acquire(Duration.ofSeconds(30))).isTrue();
            }
            for (Process p : ps) {
                p.join();
                assertThat(p.exitCode()).isZero();
            }
            for (Thread t : ts) {
                t.join();
            }
        }
    }

    private static void wake(Condition cond, int n) {
        cond.acquire();
        try {
            cond.signal(n);
        } finally {
            cond.release();
        }
    }

    @Test
    void awaitNeedsTheLockTimesOutAndAwaitForChecksThePredicate() throws Exception {
        try (Lock lock = new Lock(); Condition cond = new Condition(lock); Event flag = new Event()) {
            assertThatThrownBy(() -> cond.await(Duration.ZERO)).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(cond::signal).isInstanceOf(IllegalStateException.class);
            cond.acquire();
            assertThat(cond.await(Duration.ofMillis(100))).isFalse();
            assertThat(lock.isLocked()).isTrue(); // held again after the timeout
            Process p = new Process(() -> {
                cond.acquire();
                flag.set();
                cond.signalAll();
                cond.release();
            });
            p.start();
            assertThat(cond.awaitFor(flag::isSet, Duration.ofSeconds(30))).isTrue();
            cond.release();
            p.join();
            assertThat(p.exitCode()).isZero();
        }
    }

    @Test
    void aConditionAndItsRLockReceivedAsTwoHandlesInAChildAgreeOnWhoHoldsTheLock() throws Exception {
        try (RLock lock = new RLock(); Condition cond = new Condition(lock); Queue<String> out = new Queue<>()) {
            Process p = new Process(() -> {
                lock.acquire(); // through one handle...
                lock.acquire();
                boolean signalled = cond.await(Duration.ofMillis(100)); // ...and released all levels through another
                out.put(signalled + " " + lock.getHoldCount() + " " + lock.isHeldByCurrentThread());
                lock.release();
                lock.release();
                out.put("free " + !lock.isLocked());
            });
            p.start();
            assertThat(out.get(Duration.ofSeconds(60))).isEqualTo("false 2 true");
            assertThat(out.get(Duration.ofSeconds(60))).isEqualTo("free true");
            p.join();
            assertThat(p.exitCode()).isZero();
        }
    }

    @Test
    void aFivePartyBarrierOverTenRoundsGivesEachRoundOneOfEachIndex() throws Exception {
        int parties = 5;
        int rounds = 10;
        try (Semaphore actions = new Semaphore(0);
             Queue<int[]> out = new Queue<>()) {
            Barrier barrier = new Barrier(parties, actions::release);
            try {
                List<Process> ps = new ArrayList<>();
                for (int i = 0; i < parties - 1; i++) {
                    Process p = new Process(() -> {
                        int[] got = new int[rounds];
                        for (int r = 0; r < rounds; r++) {
                            try {
                                got[r] = barrier.await(Duration.ofSeconds(60));
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        }
                        out.put(got);
                    });
                    p.start();
                    ps.add(p);
                }
                int[] mine = new int[rounds];
                for (int r = 0; r < rounds; r++) {
                    mine[r] = barrier.await(Duration.ofSeconds(60));
                }
                List<int[]> all = new ArrayList<>();
                all.add(mine);
                for (int i = 0; i < parties - 1; i++) {
                    all.add(out.get());
                }
                for (int r = 0; r < rounds; r++) {
                    Set<Integer> indexes = new HashSet<>();
                    for (int[] a : all) {
                        indexes.add(a[r]);
                    }
                    assertThat(indexes).as("round %d", r).containsExactlyInAnyOrder(0, 1, 2, 3, 4);
                }
                for (Process p : ps) {
                    p.join();
                    assertThat(p.exitCode()).isZero();
                }
                assertThat(actions.getValue()).isEqualTo(rounds);
                assertThat(barrier.numberWaiting()).isZero();
                assertThat(barrier.isBroken()).isFalse();
            } finally {
                barrier.close();
            }
        }
    }

    @Test
    void aTimeoutBreaksTheBarrierForEveryoneUntilReset() throws Exception {
        try (Barrier barrier = new Barrier(3); Queue<String> out = new Queue<>()) {
            Process p = new Process(() -> {
                try {
                    barrier.await(Duration.ofSeconds(60));
                    out.put("passed");
                } catch (BrokenBarrierException e) {
                    out.put("broken");
                } catch (Exception e) {
                    out.put(e.toString());
                }
            });
            p.start();
            while (barrier.numberWaiting() < 1) {
                Thread.onSpinWait();
            }
            assertThatThrownBy(() -> barrier.await(Duration.ofMillis(100))).isInstanceOf(TimeoutException.class);
            assertThat(out.get()).isEqualTo("broken");
            assertThat(barrier.isBroken()).isTrue();
            assertThatThrownBy(() -> barrier.await(Duration.ofSeconds(1))).isInstanceOf(BrokenBarrierException.class);
            barrier.reset();
            assertThat(barrier.isBroken()).isFalse();
            p.join();

            Process q = new Process(() -> {
                try {
                    out.put("index " + barrier.await(Duration.ofSeconds(60)));
                } catch (Exception e) {
                    out.put(e.toString());
                }
            });
            q.start();
            Thread t = new Thread(() -> {
                try {
                    barrier.await(Duration.ofSeconds(60));
                } catch (Exception ignored) {
                    // checked below through the queue and the index
                }
            });
            t.start();
            while (barrier.numberWaiting() < 2) {
                Thread.onSpinWait();
            }
            assertThat(barrier.await()).isEqualTo(2);
            assertThat(out.get()).startsWith("index ");
            t.join();
            q.join();
            assertThatThrownBy(() -> new Barrier(0)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void abortBreaksTheWaitersAndLaterArrivalsUntilReset() throws Exception {
        try (Barrier barrier = new Barrier(3); Queue<String> out = new Queue<>()) {
            Process p = new Process(() -> {
                try {
                    barrier.await(Duration.ofSeconds(60));
                    out.put("passed");
                } catch (BrokenBarrierException e) {
                    out.put("broken");
                } catch (Exception e) {
                    out.put(e.toString());
                }
            });
            p.start();
            while (barrier.numberWaiting() < 1) {
                Thread.onSpinWait();
            }
            barrier.abort();
            assertThat(out.get()).isEqualTo("broken");
            assertThat(barrier.isBroken()).isTrue();
            assertThatThrownBy(barrier::await).isInstanceOf(BrokenBarrierException.class);
            barrier.reset();
            assertThat(barrier.isBroken()).isFalse();
            assertThat(barrier.parties()).isEqualTo(3);
            p.join();
            assertThat(p.exitCode()).isZero();
        }
    }

    @Test
    void resetBreaksTheThreadsWaitingNow() throws Exception {
        try (Barrier barrier = new Barrier(2); Queue<String> out = new Queue<>()) {
            Process p = new Process(() -> {
                try {
                    barrier.await();
                    out.put("passed");
                } catch (BrokenBarrierException e) {
                    out.put("broken");
                } catch (InterruptedException e) {
                    out.put("interrupted");
                }
            });
            p.start();
            while (barrier.numberWaiting() < 1) {
                Thread.onSpinWait();
            }
            barrier.reset();
            assertThat(out.get()).isEqualTo("broken");
            assertThat(barrier.isBroken()).isFalse();
            p.join();
        }
    }
}
