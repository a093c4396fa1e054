package org.multiprocessing4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.multiprocessing4j.testing.Targets;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PoolTest {
    /** Set by the initializer in each worker. */
    static volatile String initialized = "no";

    static long pid() {
        return ProcessHandle.current().pid();
    }

    static List<Integer> range(int n) {
        return IntStream.range(0, n).boxed().toList();
    }

    @Test
    void mapKeepsInputOrderWithAnyChunking() {
        try (Pool pool = new Pool(3)) {
            List<Integer> doubled = pool.map(x -> x * 2, range(10));
            assertThat(doubled).isEqualTo(IntStream.range(0, 10).map(x -> x * 2).boxed().toList());
            assertThat(pool.map((Integer x) -> x + 1, range(1_000), 7)).isEqualTo(IntStream.range(1, 1_001).boxed().toList());
            assertThat(pool.map((Integer x) -> x, List.<Integer>of())).isEmpty();
            assertThat(pool.workerPids()).hasSize(3).doesNotContain(pid());
        }
    }

    @Test
    void workIsSpreadOverTheWorkers() {
        // Each task waits (up to 10 s) until a second task has started: a pool that ran all tasks in one
        // worker would make every task wait out its deadline and return one pid; a slow machine cannot.
        try (Pool pool = new Pool(3); SharedInt started = Value.rawInt(0)) {
            Set<Long> pids = new HashSet<>(pool.map((Integer x) -> {
                Targets.startAndAwaitOthers(started, 2, 10_000);
                return pid();
            }, range(12), 1));
            assertThat(pids).as("the work is spread over the workers").hasSizeGreaterThan(1);
        }
    }

    @Test
    void applyAndItsAsyncForms() throws Exception {
        try (Pool pool = new Pool(2)) {
            assertThat(pool.apply(() -> "hello from " + pid())).startsWith("hello from ").doesNotEndWith(" " + pid());
            AsyncResult<Integer> r = pool.applyAsync(() -> 6 * 7);
            assertThat(r.get(Duration.ofSeconds(30))).isEqualTo(42);
            assertThat(r.ready()).isTrue();
            assertThat(r.successful()).isTrue();
            AsyncResult<Integer> slow = pool.applyAsync(() -> {
                Targets.sleep(2_000);
                return 1;
            });
            assertThatThrownBy(slow::successful).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> slow.get(Duration.ofMillis(50))).isInstanceOf(TimeoutException.class);
            assertThat(slow.await(Duration.ofMillis(10))).isFalse();
            assertThat(slow.get()).isEqualTo(1);

            CompletableFuture<Object> seen = new CompletableFuture<>();
            pool.applyAsync(() -> 5, seen::complete, seen::complete);
            assertThat(seen.get(30, TimeUnit.SECONDS)).isEqualTo(5);
            CompletableFuture<Object> error = new CompletableFuture<>();
            pool.applyAsync(() -> {
                throw new IllegalStateException("boom");
            }, error::complete, error::complete);
            assertThat(error.get(30, TimeUnit.SECONDS)).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void aTasksExceptionReachesTheCallerTyped(@TempDir Path dir) throws IOException {
        try (Pool pool = new Pool(2)) {
            // a task may throw checked exceptions: Files.readString compiles in a map, as in Python
            Path text = Files.writeString(dir.resolve("a.txt"), "read in a worker");
            String missing = dir.resolve("missing.txt").toString();
            assertThat(pool.map((String p) -> Files.readString(Path.of(p)), List.of(text.toString())))
                    .containsExactly("read in a worker");
            assertThatThrownBy(() -> pool.map((String p) -> Files.readString(Path.of(p)), List.of(missing)))
                    .isInstanceOf(RemoteException.class).hasCauseInstanceOf(NoSuchFileException.class);
            assertThatThrownBy(() -> pool.imapUnordered((String p) -> Files.size(Path.of(p)), List.of(missing)).next())
                    .isInstanceOf(RemoteException.class).hasCauseInstanceOf(NoSuchFileException.class);

            assertThatThrownBy(() -> pool.apply(() -> {
                throw new IllegalArgumentException("bad input 7");
            })).isInstanceOf(IllegalArgumentException.class).hasMessage("bad input 7")
                    .satisfies(e -> assertThat(e.getStackTrace()[0].getClassName()).contains("PoolTest"));
            assertThatThrownBy(() -> pool.apply(() -> {
                throw new IOException("checked");
            })).isInstanceOf(RemoteException.class).hasCauseInstanceOf(IOException.class)
                    .satisfies(e -> assertThat(((RemoteException) e).remoteType()).isEqualTo("java.io.IOException"));
            AsyncResult<Object> failed = pool.applyAsync(() -> {
                throw new UnsupportedOperationException("nope");
            });
            assertThatThrownBy(failed::get).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(UnsupportedOperationException.class);
            assertThat(failed.successful()).isFalse();
            assertThatThrownBy(() -> pool.map((Integer x) -> {
                if (x == 55) {
                    throw new ArithmeticException("at 55");
                }
                return x;
            }, range(100), 10)).isInstanceOf(ArithmeticException.class).hasMessage("at 55");
            assertThat(pool.apply(() -> 1)).as("the workers survive their tasks' exceptions").isEqualTo(1);
        }
    }

    /** Not serializable. */
    static final class Opaque {
    }

    @Test
    void badFunctionsArgumentsAndResultsFailClearly() {
        try (Pool pool = new Pool(1)) {
            Opaque opaque = new Opaque();
            long before = pool.workerPids().get(0);
            assertThatThrownBy(() -> pool.map(x -> opaque.hashCode() + x, range(3)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Opaque");
            assertThatThrownBy(() -> pool.map((Object x) -> x, List.of(new Opaque())))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Opaque");
            Callable<Integer> plain = () -> 1;
            assertThatThrownBy(() -> pool.submit(plain)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("serializable");
            assertThatThrownBy(() -> pool.apply(Opaque::new)).isInstanceOf(ProcessError.class)
                    .hasMessageContaining("Opaque");
            assertThat(pool.apply(PoolTest::pid)).as("the worker survived").isEqualTo(before);
            assertThatThrownBy(() -> pool.map((Integer x) -> x, range(3), 0)).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> new Pool(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Pool.builder().maxTasksPerChild(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Pool.builder().taskTimeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void progressIsToldAsChunksFinish() {
        try (Pool pool = new Pool(2)) {
            List<int[]> seen = java.util.Collections.synchronizedList(new ArrayList<>());
            List<Integer> out = pool.map((Integer x) -> x, range(100), 10,
                    (done, total, failed) -> seen.add(new int[] {done, total, failed}));
            assertThat(out).hasSize(100);
            assertThat(seen).hasSize(10);
            for (int i = 0; i < seen.size(); i++) {
                assertThat(seen.get(i)).containsExactly(10 * (i + 1), 100, 0);
            }
            seen.clear();
            assertThatThrownBy(() -> pool.map((Integer x) -> {
                if (x >= 90) {
                    throw new IllegalStateException("the last chunk fails");
                }
                return x;
            }, range(100), 10, (done, total, failed) -> seen.add(new int[] {done, total, failed})))
                    .isInstanceOf(IllegalStateException.class);
            assertThat(seen.get(seen.size() - 1)).containsExactly(90, 100, 10);
        }
    }

    @Test
    void imapIsLazyAndOrderedImapUnorderedHasEverything() throws Exception {
        try (Pool pool = Pool.builder().processes(2).readAhead(8).build()) {
            AtomicInteger read = new AtomicInteger();
            Iterator<Integer> endless = new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return true;
                }

                @Override
                public Integer next() {
                    return read.getAndIncrement();
                }
            };
            ResultIterator<Integer> squares = pool.imap(x -> x * x, () -> endless);
            for (int i = 0; i < 50; i++) {
                assertThat(squares.next()).isEqualTo(i * i);
            }
            assertThat(read.get()).as("input read ahead of the results").isLessThanOrEqualTo(50 + 8);

            List<Integer> all = new ArrayList<>();
            pool.imapUnordered((Integer x) -> x + 1, range(200), 3).forEachRemaining(all::add);
            assertThat(all).containsExactlyInAnyOrderElementsOf(IntStream.range(1, 201).boxed().toList());

            List<Integer> looped = new ArrayList<>();
            ResultIterator<Integer> doubled = pool.imap((Integer x) -> 2 * x, range(20), 4);
            for (int d : doubled) { // Iterable as well, once, for a for-each loop
                looped.add(d);
            }
            assertThat(looped).isEqualTo(IntStream.range(0, 20).map(x -> 2 * x).boxed().toList());
            assertThatThrownBy(doubled::iterator).isInstanceOf(IllegalStateException.class).hasMessageContaining("once");

            // Python's starmap: two arguments a task, from pairs (entries that need not be serializable)
            assertThat(pool.starmap((Integer a, Integer b) -> a * b, List.of(Map.entry(2, 3), Map.entry(4, 5))))
                    .containsExactly(6, 20);
            Map<String, Integer> times = new LinkedHashMap<>();
            times.put("a", 1);
            times.put("bb", 2);
            assertThat(pool.starmapAsync((String word, Integer n) -> word.repeat(n), times.entrySet(), 1)
                    .get(30, TimeUnit.SECONDS)).containsExactly("a", "bbbb");

            Iterator<Integer> failing = IntStream.range(0, 10).map(i -> {
                if (i == 6) {
                    throw new IllegalStateException("input broke at 6");
                }
                return i;
            }).iterator();
            ResultIterator<Integer> it = pool.imap(x -> x, () -> failing);
            for (int i = 0; i < 6; i++) {
                assertThat(it.next()).isEqualTo(i);
            }
            assertThatThrownBy(it::next).isInstanceOf(IllegalStateException.class).hasMessage("input broke at 6");
            assertThat(it.hasNext()).isFalse();
            assertThatThrownBy(it::next).isInstanceOf(NoSuchElementException.class);

            ResultIterator<Integer> slow = pool.imap(x -> {
                Targets.sleep(1_000);
                return x;
            }, List.of(1));
            assertThatThrownBy(() -> slow.next(Duration.ofMillis(50))).isInstanceOf(TimeoutException.class);
            assertThat(slow.next(Duration.ofSeconds(30))).isEqualTo(1);
        }
    }

    /**
     * Returns once each of the pool's {@code n} workers has run a task: a pool starts work on its first
     * worker ready, and on a busy machine the other may still be booting when a short map is half done.
     */
    static void awaitWorkersReady(Pool pool, int n) {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try (SharedInt started = Value.rawInt(0)) {
                // each task waits (briefly) for all n to run at once, so they end up on n workers if n are ready
                Set<Long> pids = new HashSet<>(pool.map((Integer x) -> {
                    Targets.startAndAwaitOthers(started, n, 200);
                    return pid();
                }, range(n), 1));
                if (pids.size() == n) {
                    return;
                }
            }
            assertThat(System.nanoTime() - end).as("all %d workers ready within 60 s", n).isNegative();
        }
    }

    @Test
    void aWorkerKilledDuringAMapFailsOneTaskAndIsReplaced() throws Exception {
        try (Pool pool = new Pool(2)) {
            awaitWorkersReady(pool, 2); // the victim below must be one that is running the map's tasks
            ResultIterator<Integer> results = pool.imapUnordered(x -> {
                if (x % 100 == 0) {
                    Targets.sleep(1);
                }
                return x;
            }, range(20_000));
            List<Integer> got = new ArrayList<>();
            List<Throwable> errors = new ArrayList<>();
            long victim = pool.workerPids().get(0);
            while (results.hasNext()) {
                try {
                    got.add(results.next());
                } catch (WorkerLostException e) {
                    errors.add(e);
                }
                if (got.size() == 5_000) {
                    ProcessHandle.of(victim).ifPresent(ProcessHandle::destroyForcibly);
                }
            }
            assertThat(errors).hasSize(1);
            WorkerLostException lost = (WorkerLostException) errors.get(0);
            assertThat(lost.signal()).isEqualTo(9);
            assertThat(lost.getMessage()).contains("pid " + victim).contains("SIGKILL");
            assertThat(got).hasSize(19_999).doesNotHaveDuplicates();
            assertThat(pool.workerPids()).hasSize(2).doesNotContain(victim);
        }
    }

    @Test
    void workersThatDieInEveryWayFailOnlyTheirTask() throws Exception {
        try (Pool pool = Pool.builder().processes(2).build()) {
            AsyncResult<Object> exits = pool.applyAsync(() -> {
                System.exit(3);
                return null;
            });
            AsyncResult<Object> halts = pool.applyAsync(() -> {
                System.err.println("last words before halt(5)");
                System.err.flush();
                Runtime.getRuntime().halt(5);
                return null;
            });
            assertThatThrownBy(exits::get).hasCauseInstanceOf(WorkerLostException.class)
                    .satisfies(e -> assertThat(((WorkerLostException) e.getCause()).exitCode()).isEqualTo(3));
            assertThatThrownBy(halts::get).hasCauseInstanceOf(WorkerLostException.class)
                    .satisfies(e -> assertThat(((WorkerLostException) e.getCause()).exitCode()).isEqualTo(5))
                    .satisfies(e -> assertThat(((WorkerLostException) e.getCause()).stderrTail())
                            .contains("last words before halt(5)"));
            AsyncResult<Object> oom = pool.applyAsync(() -> {
                throw new OutOfMemoryError("as if the heap were full"); // the worker's heap is GiBs here
            });
            assertThatThrownBy(oom::get).hasCauseInstanceOf(WorkerLostException.class)
                    .satisfies(e -> assertThat(((WorkerLostException) e.getCause()).exitCode()).isEqualTo(1));
            assertThat(pool.map((Integer x) -> x * 3, range(10))).hasSize(10);
        }
    }

    @Test
    void aLostWorkerIsReportedWithinASecond() throws Exception {
        try (Pool pool = new Pool(1); Event running = new Event()) {
            AsyncResult<Object> stuck = pool.applyAsync(() -> {
                running.set();
                Thread.sleep(60_000);
                return null;
            });
            assertThat(running.await(Duration.ofSeconds(60))).isTrue(); // the worker has the task
            long victim = pool.workerPids().get(0);
            long t0 = System.nanoTime();
            ProcessHandle.of(victim).ifPresent(ProcessHandle::destroyForcibly);
            assertThatThrownBy(() -> stuck.get(Duration.ofSeconds(30))).hasCauseInstanceOf(WorkerLostException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(1));
        }
    }

    @Test
    void manyTinyTasksInFlightAndAForkserverPool() throws Exception {
        // tiny tasks go many to a write; all must come back once, each to its own future
        try (Pool pool = Multiprocessing.getContext("forkserver").pool(2)) {
            List<AsyncResult<Integer>> results = new ArrayList<>();
            for (int i = 0; i < 3_000; i++) {
                int x = i;
                results.add(pool.applyAsync(() -> x * 3));
            }
            for (int i = 0; i < results.size(); i++) {
                assertThat(results.get(i).get(Duration.ofSeconds(60))).isEqualTo(i * 3);
            }
            String name = pool.apply(() -> Multiprocessing.currentProcess().name());
            assertThat(name).startsWith("ForkServerPoolWorker-");
        }
    }

    @Test
    void retriesRunALostTaskAgain() {
        try (Pool pool = Pool.builder().processes(1).retries(1).build()) {
            long first = pool.workerPids().get(0);
            // dies only in the first worker, so the retry in its replacement succeeds
            assertThat(pool.apply(() -> {
                if (pid() == first) {
                    Runtime.getRuntime().halt(9);
                }
                return "second try";
            })).isEqualTo("second try");
        }
    }

    @Test
    void aTaskPastItsDeadlineHasItsWorkerKilled() throws Exception {
        try (Pool pool = Pool.builder().processes(2).taskTimeout(Duration.ofSeconds(20)).build()) {
            AsyncResult<Long> forever = pool.applyAsync(() -> {
                while (true) {
                    Thread.onSpinWait();
                }
            }, Duration.ofMillis(500));
            AsyncResult<Long> fine = pool.applyAsync(PoolTest::pid);
            assertThat(fine.get(Duration.ofSeconds(30))).isPositive();
            assertThatThrownBy(() -> forever.get(Duration.ofSeconds(30))).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(TimeoutException.class);
            assertThat(pool.map((Integer x) -> x, range(4), 1)).hasSize(4);
            assertThat(pool.workerPids()).hasSize(2);
        }
    }

    @Test
    void initializerRunsInEveryWorkerAndMaxTasksPerChildReplacesThem() {
        try (Pool pool = Pool.builder().processes(1).initializer(() -> initialized = "yes " + pid())
                .maxTasksPerChild(2).build()) {
            List<String> seen = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                seen.add(pool.apply(() -> initialized + " / " + pid()));
            }
            Set<String> workers = new HashSet<>(seen);
            assertThat(workers).as("a fresh worker every 2 tasks").hasSize(3);
            for (String s : seen) {
                String[] parts = s.split(" / ");
                assertThat(parts[0]).isEqualTo("yes " + parts[1]);
            }
        }
    }

    @Test
    void theExecutorServicesFuturesAreAsyncResultsRunInWorkers() throws Exception {
        try (Pool pool = new Pool(2)) {
            Future<Long> where = pool.submit((SerializableCallable<Long>) PoolTest::pid);
            assertThat(where).isInstanceOf(AsyncResult.class);
            assertThat(where.get(60, TimeUnit.SECONDS)).isNotEqualTo(pid());
            assertThat(pool.submit((SerializableRunnable) () -> { }).get(60, TimeUnit.SECONDS)).isNull();
            assertThat(pool.submit((SerializableRunnable) () -> { }, "done").get(60, TimeUnit.SECONDS)).isEqualTo("done");

            Future<Integer> throwing = pool.submit((SerializableCallable<Integer>) () -> {
                throw new IllegalStateException("from the worker");
            });
            assertThatThrownBy(() -> throwing.get(60, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(IllegalStateException.class).hasMessage("from the worker");
            Future<Integer> dies = pool.submit((SerializableCallable<Integer>) () -> {
                Runtime.getRuntime().halt(4);
                return 0;
            });
            assertThatThrownBy(() -> dies.get(60, TimeUnit.SECONDS)).hasCauseInstanceOf(WorkerLostException.class);

            List<Future<Integer>> timed = pool.invokeAll(List.<Callable<Integer>>of(
                    (SerializableCallable<Integer>) () -> 1,
                    (SerializableCallable<Integer>) () -> {
                        Targets.sleep(30_000);
                        return 2;
                    }), 2, TimeUnit.SECONDS);
            assertThat(timed.get(0).get()).isEqualTo(1);
            assertThat(timed.get(1).isCancelled()).as("what did not finish in time is cancelled").isTrue();
            assertThat(pool.apply(() -> 3)).as("its worker was killed and replaced").isEqualTo(3);
        }
    }

    @Test
    void shutdownJoinTerminateAndTheExecutorService() throws Exception {
        Pool pool = new Pool(2);
        assertThatThrownBy(pool::join).isInstanceOf(IllegalStateException.class).hasMessageContaining("still running");
        List<Future<Integer>> futures = pool.invokeAll(List.<Callable<Integer>>of(
                (SerializableCallable<Integer>) () -> 1, (SerializableCallable<Integer>) () -> 2));
        assertThat(futures.get(0).get() + futures.get(1).get()).isEqualTo(3);
        assertThat(pool.invokeAny(List.<Callable<Integer>>of((SerializableCallable<Integer>) () -> 7))).isEqualTo(7);
        AsyncResult<Integer> last = pool.applyAsync(() -> {
            Targets.sleep(300);
            return 9;
        });
        pool.shutdown();
        assertThat(pool.isShutdown()).isTrue();
        assertThatThrownBy(() -> pool.apply(() -> 1)).isInstanceOf(IllegalStateException.class);
        pool.join();
        assertThat(last.get()).as("shutdown lets queued work finish").isEqualTo(9);
        assertThat(pool.isTerminated()).isTrue();

        Pool doomed = new Pool(2);
        List<AsyncResult<Integer>> sleeps = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            sleeps.add(doomed.applyAsync(() -> {
                Targets.sleep(10_000);
                return 0;
            }));
        }
        long t0 = System.nanoTime();
        doomed.terminate();
        doomed.join();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
        assertThatThrownBy(() -> sleeps.get(9_999).get()).isInstanceOf(CancellationException.class);
        assertThat(doomed.awaitTermination(1, TimeUnit.SECONDS)).isTrue();
    }
}
