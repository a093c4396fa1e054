package org.multiprocessing4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link ThreadPool}: the pool's methods on threads of this JVM. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ThreadPoolTest {

    static List<Integer> range(int n) {
        return IntStream.range(0, n).boxed().toList();
    }

    @Test
    void mapImapAndApplyRunOnThreadsWithNothingSerialized() throws Exception {
        Object notSerializable = new Object(); // captured: a process pool would refuse these lambdas
        Set<String> threadNames = Collections.synchronizedSet(new HashSet<>());
        try (ThreadPool pool = new ThreadPool(3)) {
            assertThat(pool.map(x -> {
                threadNames.add(Thread.currentThread().getName());
                sleep(5);
                return x * 2 + (notSerializable.hashCode() * 0);
            }, range(30), 1)).isEqualTo(IntStream.range(0, 30).map(x -> x * 2).boxed().toList());
            assertThat(threadNames).hasSizeGreaterThan(1).allMatch(n -> n.startsWith("mp4j-threadpool-worker-"));
            assertThat(pool.map((Integer x) -> x, List.<Integer>of())).isEmpty();
            List<Integer> ordered = new ArrayList<>();
            pool.imap((Integer x) -> x + 1, range(100), 7).forEachRemaining(ordered::add);
            assertThat(ordered).isEqualTo(IntStream.range(1, 101).boxed().toList());
            List<Integer> unordered = new ArrayList<>();
            pool.imapUnordered((Integer x) -> x, range(100)).forEachRemaining(unordered::add);
            assertThat(unordered).containsExactlyInAnyOrderElementsOf(range(100));
            Object same = pool.apply(() -> notSerializable);
            assertThat(same).isSameAs(notSerializable); // the object itself
            Object nothing = pool.apply(() -> null);
            assertThat(nothing).isNull();
            Future<?> f = pool.submit(() -> threadNames.add("from a plain Runnable"));
            f.get();
            assertThat(threadNames).contains("from a plain Runnable");
            assertThat(pool.workerPids()).hasSize(3).containsOnly(ProcessHandle.current().pid());
            assertThat(pool).hasToString("<ThreadPool threads=3>");
        }
    }

    @Test
    void exceptionsAndCallbacksAsWithProcesses() throws Exception {
        try (ThreadPool pool = new ThreadPool(2)) {
            assertThatThrownBy(() -> pool.map((Integer x) -> {
                if (x == 3) {
                    throw new IllegalStateException("three");
                }
                return x;
            }, range(10), 1)).isInstanceOf(IllegalStateException.class).hasMessage("three");
            AsyncResult<Integer> r = pool.applyAsync(() -> {
                throw new java.io.IOException("checked");
            });
            assertThatThrownBy(r::get).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(java.io.IOException.class);
            CountDownLatch called = new CountDownLatch(1);
            AtomicInteger got = new AtomicInteger();
            pool.applyAsync(() -> 42, v -> {
                got.set(v);
                called.countDown();
            }, e -> { });
            assertThat(called.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(got).hasValue(42);
        }
    }

    @Test
    void aTaskPastItsDeadlineFailsAndAThreadThatIgnoresTheInterruptIsReplaced() throws Exception {
        AtomicBoolean release = new AtomicBoolean();
        try (ThreadPool pool = new ThreadPool(1)) {
            AsyncResult<Object> stubborn = pool.applyAsync(() -> {
                while (!release.get()) {
                    Thread.onSpinWait(); // ignores interrupts
                }
                return "too late";
            }, Duration.ofMillis(200));
            assertThatThrownBy(() -> stubborn.get(Duration.ofSeconds(20))).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(TimeoutException.class)
                    .hasMessageContaining("was interrupted");
            // the single thread is still stuck; its replacement runs this
            assertThat(pool.apply(() -> "replacement")).isEqualTo("replacement");
            AsyncResult<Object> sleeper = pool.applyAsync(() -> {
                Thread.sleep(60_000);
                return "slept";
            }, Duration.ofMillis(200));
            assertThatThrownBy(() -> sleeper.get(Duration.ofSeconds(20))).hasCauseInstanceOf(TimeoutException.class);
            release.set(true);
        }
    }

    @Test
    void cancelInterruptsTerminateFailsTheRestAndJoinWaits() throws Exception {
        ThreadPool pool = new ThreadPool(2);
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        AsyncResult<Object> running = pool.applyAsync(() -> {
            started.countDown();
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                interrupted.set(true);
            }
            return null;
        });
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(running.cancel(true)).isTrue();
        assertThatThrownBy(running::get).isInstanceOf(CancellationException.class);
        List<AsyncResult<Object>> queued = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            queued.add(pool.applyAsync(() -> {
                Thread.sleep(60_000);
                return null;
            }));
        }
        long t0 = System.nanoTime();
        pool.terminate();
        pool.join();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
        assertThat(interrupted).isTrue();
        assertThat(queued).allSatisfy(r -> assertThatThrownBy(r::get).isInstanceOf(CancellationException.class));
        assertThat(pool.isTerminated()).isTrue();
        assertThatThrownBy(() -> pool.apply(() -> 1)).isInstanceOf(IllegalStateException.class);
        // the ExecutorService methods say it as that interface does
        assertThatThrownBy(() -> pool.submit(() -> 1)).isInstanceOf(RejectedExecutionException.class)
                .hasMessageContaining("terminated");
        assertThatThrownBy(() -> pool.execute(() -> { })).isInstanceOf(RejectedExecutionException.class);
        assertThatThrownBy(() -> pool.invokeAny(List.of(() -> 1))).isInstanceOf(RejectedExecutionException.class);
    }

    @Test
    void initializerRunsInEveryThreadAndSizesAreChecked() {
        AtomicInteger inits = new AtomicInteger();
        try (ThreadPool pool = new ThreadPool(3, inits::incrementAndGet)) {
            assertThat(pool.map((Integer x) -> x, range(10))).hasSize(10);
        }
        assertThat(inits).hasValue(3);
        assertThatThrownBy(() -> new ThreadPool(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 1");
        ThreadPool open = new ThreadPool(1);
        assertThatThrownBy(open::join).isInstanceOf(IllegalStateException.class).hasMessageContaining("still running");
        open.close();
    }

    @Test
    void aThreadWhoseInitializerThrowsIsReplacedAndThreeInARowBreakThePool() {
        AtomicInteger calls = new AtomicInteger();
        try (ThreadPool once = new ThreadPool(1, () -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("first initializer");
            }
        })) {
            assertThat(once.apply(() -> "after a replacement")).isEqualTo("after a replacement");
            assertThat(calls).hasValue(2);
        }
        try (ThreadPool never = new ThreadPool(2, () -> {
            throw new IllegalStateException("no database");
        })) {
            // work waiting for a thread fails once the pool gives up, instead of waiting for ever
            assertThatThrownBy(() -> never.map((Integer x) -> x, range(4))).isInstanceOf(ProcessError.class)
                    .hasMessageContaining("initializer threw in 3 threads in a row")
                    .hasRootCauseMessage("no database");
            assertThatThrownBy(() -> never.apply(() -> 1)).isInstanceOf(ProcessError.class)
                    .hasMessageContaining("no database");
        }
    }

    @Test
    void aThreadWhoseCancelledTaskIgnoresTheInterruptIsReplaced() throws Exception {
        AtomicBoolean release = new AtomicBoolean();
        CountDownLatch started = new CountDownLatch(1);
        try (ThreadPool pool = new ThreadPool(1)) {
            AsyncResult<Object> stubborn = pool.applyAsync(() -> {
                started.countDown();
                while (!release.get()) {
                    Thread.onSpinWait(); // ignores interrupts
                }
                return "too late";
            });
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(stubborn.cancel(true)).isTrue();
            // the single thread is still stuck; its replacement runs this
            assertThat(pool.apply(() -> "replacement")).isEqualTo("replacement");
            release.set(true);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void awaitTerminationWaitsForAShutdownByAnotherThread() throws Exception {
        ThreadPool pool = new ThreadPool(1);
        assertThat(pool.awaitTermination(50, TimeUnit.MILLISECONDS)).as("still running").isFalse();
        java.util.concurrent.CompletableFuture<Boolean> ended = new java.util.concurrent.CompletableFuture<>();
        Thread waiter = new Thread(() -> {
            try {
                ended.complete(pool.awaitTermination(30, TimeUnit.SECONDS));
            } catch (Throwable t) {
                ended.completeExceptionally(t);
            }
        });
        waiter.start();
        org.multiprocessing4j.testing.Await.until(Duration.ofSeconds(10),
                () -> org.multiprocessing4j.testing.Await.isBlockedIn(waiter, "awaitShutdown"),
                "awaitTermination to wait for the shutdown");
        assertThat(ended).isNotDone();
        pool.shutdown();
        assertThat(ended.get(10, TimeUnit.SECONDS)).isTrue();
        waiter.join();
    }
}
