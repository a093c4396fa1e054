package org.multiprocessing4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.multiprocessing4j.testing.Await;
import org.multiprocessing4j.testing.Procs;
import org.multiprocessing4j.testing.Targets;

/**
 * A pool's start: {@code new Pool(n)} does not wait for its workers, work goes to each worker the moment
 * it is ready (booted, its initializer run), a task's deadline does not count a worker's boot, an
 * initializer that throws is a start failure, and a pool stopped while its workers boot leaves nothing.
 * Workers are held back in their initializer by an {@link Event} the test sets.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PoolStartTest {

    static long pid() {
        return ProcessHandle.current().pid();
    }

    static List<Integer> range(int n) {
        return IntStream.range(0, n).boxed().toList();
    }

    /** The initializer: every worker but the first {@code free} waits (up to a minute) for {@code release}. */
    static SerializableRunnable holdAllBut(int free, SharedInt initialized, Event release) {
        return () -> {
            if (initialized.incrementAndGet() > free) {
                release.await(Duration.ofSeconds(60));
            }
        };
    }

    @Test
    void theConstructorReturnsAtOnceAndAMapRunsOnTheFirstWorkerReadyWhileAnotherIsHeldBack() throws Exception {
        try (Event release = new Event(); SharedInt initialized = Value.rawInt(0)) {
            // a constructor that waited for its workers would wait for the release, which comes later
            Pool pool = CompletableFuture.supplyAsync(() -> Pool.builder().processes(2)
                    .initializer(holdAllBut(1, initialized, release)).build()).get(30, TimeUnit.SECONDS);
            try {
                assertThat(pool.workerPids()).as("booting workers have their pids").hasSize(2);
                // each task waits (up to 30 s) until the second worker is held in its initializer: none
                // may be given to that worker, which is not ready
                AsyncResult<List<Long>> map = pool.mapAsync((Integer x) -> {
                    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                    while (initialized.get() < 2 && System.nanoTime() < end) {
                        Targets.sleep(1);
                    }
                    return pid();
                }, range(20), 1);
                Set<Long> ran = new HashSet<>(map.get(Duration.ofSeconds(20)));
                assertThat(release.isSet()).isFalse();
                assertThat(initialized.get()).as("the second worker is in its initializer").isEqualTo(2);
                assertThat(ran).as("the map ran on the one worker ready").hasSize(1);
                assertThat(pool.workerPids()).containsAll(ran);

                release.set();
                // the held worker joins: tasks that each wait for a second one to start run on both
                SharedInt started = Value.rawInt(0);
                try {
                    Set<Long> both = new HashSet<>(pool.map((Integer x) -> {
                        Targets.startAndAwaitOthers(started, 2, 10_000);
                        return pid();
                    }, range(8), 1));
                    assertThat(both).hasSize(2);
                } finally {
                    started.close();
                }
            } finally {
                release.set();
                pool.close();
            }
        }
    }

    @Test
    void aTasksDeadlineDoesNotCountItsWorkersBoot() throws Exception {
        try (Event release = new Event(); SharedInt initialized = Value.rawInt(0)) {
            Pool pool = Pool.builder().processes(1).initializer(holdAllBut(0, initialized, release))
                    .taskTimeout(Duration.ofMillis(500)).build();
            try {
                long worker = pool.workerPids().get(0);
                AsyncResult<Long> task = pool.applyAsync(PoolStartTest::pid);
                Await.until(Duration.ofSeconds(60), () -> initialized.get() == 1, "the worker in its initializer");
                long held = System.nanoTime();
                // the worker stays held past the task's deadline (polled: the time is what the test needs)
                Await.until(Duration.ofSeconds(10), () -> System.nanoTime() - held > TimeUnit.SECONDS.toNanos(1),
                        "a second");
                assertThat(task.ready()).as("the task waits for a worker ready, not its deadline").isFalse();
                release.set();
                assertThat(task.get(Duration.ofSeconds(30))).as("run once its worker was ready").isEqualTo(worker);
                assertThat(pool.workerPids()).containsExactly(worker);
            } finally {
                release.set();
                pool.close();
            }
        }
    }

    @Test
    void anInitializerThatThrowsIsAStartFailure() {
        long t0 = System.nanoTime();
        try (Pool pool = Pool.builder().processes(1).initializer(() -> {
            throw new IllegalStateException("no database here");
        }).build()) {
            assertThatThrownBy(() -> pool.map((Integer x) -> x, range(4)))
                    .isInstanceOf(ProcessError.class).isNotInstanceOf(WorkerLostException.class)
                    .hasMessageContaining("cannot start").hasMessageContaining("no database here");
            assertThatThrownBy(() -> pool.apply(() -> 1)).isInstanceOf(ProcessError.class)
                    .hasMessageContaining("cannot start");
        }
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(60));
    }

    @Test
    void aPoolStoppedWhileItsWorkersBootLeavesNothing() throws Exception {
        // terminated at once: JVMs just started
        Pool fresh = new Pool(2);
        List<Long> freshPids = fresh.workerPids();
        AsyncResult<List<Integer>> dropped = fresh.mapAsync((Integer x) -> x, range(10));
        fresh.terminate();
        assertThat(fresh.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        assertThatThrownBy(() -> dropped.get(Duration.ofSeconds(10))).isInstanceOf(CancellationException.class);
        assertGone(freshPids);

        // closed at once: it waits for the workers to boot, then they quit
        Pool closed = new Pool(2);
        List<Long> closedPids = closed.workerPids();
        closed.close();
        assertThat(closed.isTerminated()).isTrue();
        assertGone(closedPids);

        // terminated while both workers are held in their initializer, with work waiting
        try (Event release = new Event(); SharedInt initialized = Value.rawInt(0)) {
            Pool held = Pool.builder().processes(2).initializer(holdAllBut(0, initialized, release)).build();
            List<Long> heldPids = held.workerPids();
            AsyncResult<Integer> waiting = held.applyAsync(() -> 1);
            Await.until(Duration.ofSeconds(60), () -> initialized.get() == 2, "both workers in their initializer");
            held.terminate();
            assertThat(held.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
            assertThatThrownBy(() -> waiting.get()).isInstanceOf(CancellationException.class);
            assertGone(heldPids);
        }
    }

    private static void assertGone(List<Long> pids) {
        Await.until(Duration.ofSeconds(10), () -> pids.stream().noneMatch(Procs::isRunning), () -> "workers " + pids + " gone");
    }
}
