package org.multiprocessing4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.multiprocessing4j.testing.Await;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ManagerTest {

    /** A lambda that can be sent to the manager, where a default method like {@code merge} then runs. */
    interface SerializableBiFunction<T, U, R> extends BiFunction<T, U, R>, Serializable {
    }

    @Test
    void childrenUpdatingOneDictAndOneListAtOnceLoseNothing() {
        int children = 4;
        int each = 100;
        try (Manager m = Manager.start()) {
            Map<String, Integer> d = m.dict();
            List<String> l = m.list();
            List<Process> ps = new ArrayList<>();
            for (int c = 0; c < children; c++) {
                int child = c;
                Process p = new Process(() -> {
                    for (int i = 0; i < each; i++) {
                        d.put(child + ":" + i, i);
                        l.add(child + ":" + i);
                        d.merge("total", 1, (SerializableBiFunction<Integer, Integer, Integer>) Integer::sum);
                    }
                });
                p.start();
                ps.add(p);
            }
            for (Process p : ps) {
                p.join();
                assertThat(p.exitCode()).isZero();
            }
            assertThat(d).hasSize(children * each + 1);
            assertThat(d.get("total")).isEqualTo(children * each);
            assertThat(l).hasSize(children * each).doesNotHaveDuplicates();
        }
    }

    @Test
    void aDictKeepsInsertionOrderAndPrintsLikeAMap() {
        try (Manager m = Manager.start()) {
            Map<String, Integer> d = m.dict(Map.of("x", 0));
            d.put("b", 2);
            d.put("a", 1);
            assertThat(d.toString()).isEqualTo("{x=0, b=2, a=1}");
            assertThat(d).isEqualTo(Map.of("x", 0, "b", 2, "a", 1)).hasSameHashCodeAs(Map.of("x", 0, "b", 2, "a", 1));
            assertThat(Map.of("x", 0, "b", 2, "a", 1)).isEqualTo(d);
            assertThat(new ArrayList<>(d.keySet())).containsExactly("x", "b", "a");
            d.keySet().remove("x"); // views are live
            assertThat(d).containsOnlyKeys("b", "a");
            List<String> seen = new ArrayList<>();
            for (Map.Entry<String, Integer> e : d.entrySet()) {
                seen.add(e.getKey() + "=" + e.getValue());
            }
            assertThat(seen).containsExactly("b=2", "a=1");
            d.forEach((k, v) -> seen.add(k)); // runs here, with a lambda that could not be sent
            assertThat(seen).endsWith("b", "a");
        }
    }

    @Test
    void aProxyStoredInAManagedObjectStaysLiveInEveryProcess() {
        try (Manager m = Manager.start()) {
            Map<String, Object> d = m.dict();
            d.put("inner", m.list());
            d.put("nested", m.dict());
            Process p = new Process(() -> {
                @SuppressWarnings("unchecked")
                List<String> inner = (List<String>) d.get("inner");
                inner.add("written by the child");
                @SuppressWarnings("unchecked")
                Map<String, Integer> nested = (Map<String, Integer>) d.get("nested");
                nested.put("n", 42);
            });
            p.start();
            p.join();
            assertThat(p.exitCode()).isZero();
            assertThat(d.get("inner")).asInstanceOf(InstanceOfAssertFactories.LIST).containsExactly("written by the child");
            assertThat(d.get("nested").toString()).isEqualTo("{n=42}");
            assertThat(d.get("inner")).isEqualTo(d.get("inner")); // the same object, twice
        }
    }

    @Test
    void aNamespaceSetsGetsAndPrintsItsValues() {
        try (Manager m = Manager.start()) {
            Namespace ns = m.namespace();
            ns.set("a", 1);
            Process p = new Process(() -> ns.set("b", (Integer) ns.get("a") + 1));
            p.start();
            p.join();
            assertThat(ns.get("b")).isEqualTo(2);
            assertThat(ns.toString()).isEqualTo("Namespace(a=1, b=2)");
            assertThat(ns.get("c", "default")).isEqualTo("default");
            assertThatThrownBy(() -> ns.get("c")).isInstanceOf(NoSuchElementException.class)
                    .hasMessageContaining("no attribute 'c'");
            assertThat(ns.remove("a")).isEqualTo(1);
            assertThat(ns.toString()).isEqualTo("Namespace(b=2)");
        }
    }

    @Test
    void anExceptionOfTheServedObjectArrivesAsItselfWithTheManagersStackTrace() {
        try (Manager m = Manager.start()) {
            List<String> l = m.list();
            Throwable t = null;
            try {
                l.get(3);
            } catch (IndexOutOfBoundsException e) {
                t = e;
            }
            assertThat(t).isNotNull().hasMessageContaining("3");
            List<String> frames = new ArrayList<>();
            for (StackTraceElement e : t.getStackTrace()) {
                frames.add(e.getClassName() + "." + e.getMethodName());
            }
            int marker = -1;
            for (int i = 0; i < frames.size(); i++) {
                if (frames.get(i).startsWith("<<manager ")) {
                    marker = i;
                }
            }
            assertThat(marker).as("the frame that separates the manager's trace from ours").isPositive();
            assertThat(frames.subList(0, marker)).anyMatch(f -> f.startsWith("java.util.ArrayList."))
                    .anyMatch(f -> f.contains("ManagerServer"));
            assertThat(frames.subList(marker, frames.size()))
                    .anyMatch(f -> f.contains("anExceptionOfTheServedObjectArrivesAsItself"));
        }
    }

    @Test
    void iteratorsAndViewsAreProxiesToTheManagersOwn() {
        try (Manager m = Manager.start()) {
            List<Integer> l = m.list(List.of(1, 2, 3));
            int sum = 0;
            for (int x : l) {
                sum += x;
            }
            assertThat(sum).isEqualTo(6);
            Iterator<Integer> it = l.iterator();
            it.next();
            it.remove(); // through the manager's own iterator
            assertThat(l).containsExactly(2, 3);
            List<Integer> sub = l.subList(0, 1);
            sub.clear(); // a live view
            assertThat(l).containsExactly(3);
            assertThat(l.stream().mapToInt(Integer::intValue).sum()).isEqualTo(3);
        }
    }

    @Test
    void aManagedQueuePassesItemsBetweenProcesses() throws Exception {
        try (Manager m = Manager.start()) {
            BlockingQueue<String> q = m.queue();
            BlockingQueue<String> back = m.queue(1);
            Process p = new Process(() -> {
                try {
                    String s;
                    while (!(s = q.take()).equals("stop")) {
                        back.put(s.toUpperCase());
                    }
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            p.start();
            for (String s : List.of("a", "b", "c")) {
                q.put(s);
                assertThat(back.poll(60, TimeUnit.SECONDS)).isEqualTo(s.toUpperCase());
            }
            q.put("stop");
            p.join();
            assertThat(p.exitCode()).isZero();
            assertThat(back.poll()).isNull();
            assertThat(back.offer("x")).isTrue();
            assertThat(back.offer("y")).isFalse(); // bounded
        }
    }

    @Test
    void aThreadInterruptedInTakeGetsInterruptedExceptionAndTheManagerDoesNotKeepTaking() throws Exception {
        try (Manager m = Manager.start()) {
            BlockingQueue<String> q = m.queue();
            AtomicReference<Throwable> outcome = new AtomicReference<>();
            CountDownLatch done = new CountDownLatch(1);
            Thread t = new Thread(() -> {
                try {
                    outcome.set(new AssertionError("took " + q.take()));
                } catch (Throwable e) {
                    outcome.set(e);
                }
                done.countDown();
            });
            t.start();
            // the take is sent, or about to be: either way the interrupt must end it
            t.interrupt();
            assertThat(done.await(60, TimeUnit.SECONDS)).isTrue();
            assertThat(outcome.get()).isInstanceOf(InterruptedException.class);
            q.put("kept");
            assertThat(q.poll(60, TimeUnit.SECONDS)).isEqualTo("kept");
        }
    }

    @Test
    void whenTheManagerIsKilledAChildBlockedOnAManagedQueueFailsInsteadOfHanging() throws Exception {
        try (Manager m = Manager.start(); Queue<String> report = new Queue<>()) {
            BlockingQueue<String> q = m.queue();
            Map<String, String> d = m.dict();
            Process p = new Process(() -> {
                report.put("blocking");
                try {
                    report.put("took " + q.take());
                } catch (EOFError e) {
                    report.put("EOFError: " + e.getMessage());
                } catch (Throwable e) {
                    report.put("wrong: " + e);
                }
                try {
                    d.put("k", "v");
                    report.put("put after the manager died");
                } catch (EOFError e) {
                    report.put("EOFError again");
                }
            });
            p.start();
            assertThat(report.get(Duration.ofSeconds(60))).isEqualTo("blocking");
            Process server = serverOf(m);
            server.kill();
            server.join();
            assertThat(report.get(Duration.ofSeconds(60))).startsWith("EOFError: the manager at " + m.address());
            assertThat(report.get(Duration.ofSeconds(60))).isEqualTo("EOFError again");
            p.join();
            assertThatThrownBy(() -> d.get("k")).isInstanceOf(EOFError.class).hasMessageContaining(m.address());
        }
    }

    @Test
    void shutdownEndsTheManagersProcessAndLaterCallsFail() {
        Manager m = Manager.start();
        Map<String, Integer> d = m.dict();
        d.put("a", 1);
        Process server = serverOf(m);
        Long pid = server.pid();
        m.shutdown();
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThatThrownBy(() -> d.get("a")).isInstanceOf(EOFError.class).hasMessageContaining("shut down");
        assertThatThrownBy(m::dict).isInstanceOf(IllegalStateException.class);
        m.close(); // twice is fine
    }

    @Test
    void shutdownWhileAChildIsBlockedInTakeCompletesAndTheChildIsTold() throws Exception {
        Manager m = Manager.start();
        try (Queue<String> report = new Queue<>()) {
            BlockingQueue<String> q = m.queue();
            Process p = new Process(() -> {
                report.put("blocking");
                try {
                    report.put("took " + q.take());
                } catch (EOFError e) {
                    report.put("EOFError");
                } catch (Throwable e) {
                    report.put("wrong: " + e);
                }
            });
            p.start();
            assertThat(report.get(Duration.ofSeconds(60))).isEqualTo("blocking");
            long pid = serverOf(m).pid();
            m.shutdown(); // returns once the manager's process has ended, blocked callers or not
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
            assertThat(report.get(Duration.ofSeconds(60))).isEqualTo("EOFError");
            p.join();
            assertThat(p.exitCode()).isZero();
        } finally {
            m.close();
        }
    }

    @Test
    void synchronisationObjectsComeFromTheManagerAndWorkAcrossProcesses() throws Exception {
        try (Manager m = Manager.start()) {
            Lock lock = m.lock();
            Event ready = m.event();
            Semaphore sem = m.semaphore(2);
            Barrier barrier = m.barrier(2);
            Map<String, Integer> d = m.dict();
            lock.acquire();
            Process p = new Process(() -> {
                ready.set();
                lock.acquire(); // waits for the parent's release
                d.put("after release", 1);
                lock.release();
                sem.acquire();
                try {
                    barrier.await();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            p.start();
            assertThat(ready.await(Duration.ofSeconds(60))).isTrue();
            assertThat(d).isEmpty();
            lock.release();
            assertThat(barrier.await(Duration.ofSeconds(60))).isBetween(0, 1);
            p.join();
            assertThat(p.exitCode()).isZero();
            assertThat(d).containsEntry("after release", 1);
            assertThat(sem.getValue()).isEqualTo(1);
            assertThat(m.rlock()).isNotNull();
            assertThat(m.condition()).isNotNull();
            assertThat(m.boundedSemaphore(1)).isNotNull();
        }
    }

    @Test
    void valuesAndArraysComeFromTheManagerAndChildrenUpdateThem() throws Exception {
        try (Manager m = Manager.start()) {
            SharedInt counter = m.value(0);
            SharedDouble ratio = m.value(0.5);
            SharedLong big = m.value(1L << 40);
            SharedIntArray squares = m.array(new int[4]);
            List<Process> ps = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                int n = i;
                Process p = new Process(() -> {
                    squares.set(n, n * n);
                    for (int k = 0; k < 1_000; k++) {
                        counter.incrementAndGet();
                    }
                });
                p.start();
                ps.add(p);
            }
            for (Process p : ps) {
                p.join();
                assertThat(p.exitCode()).isZero();
            }
            assertThat(counter.get()).isEqualTo(4_000);
            assertThat(squares.toArray()).containsExactly(0, 1, 4, 9);
            assertThat(ratio.get()).isEqualTo(0.5);
            assertThat(big.get()).isEqualTo(1L << 40);
            assertThat(m.array(new long[] {7L}).get(0)).isEqualTo(7L);
            assertThat(m.array(new double[] {1.5, 2.5}).length()).isEqualTo(2);
            assertThat(m.array(new byte[] {3}).get(0)).isEqualTo((byte) 3);
            assertThat(counter.getLock()).isNotNull();
        }
    }

    @Test
    void aPoolInTheManagerRunsTasksSubmittedByAnyProcess() throws Exception {
        try (Manager m = Manager.start(); Queue<Integer> out = new Queue<>()) {
            java.util.concurrent.ExecutorService pool = m.pool(2);
            assertThat(pool.submit((SerializableCallable<Integer>) () -> 6 * 7).get(60, TimeUnit.SECONDS)).isEqualTo(42);
            Process p = new Process(() -> {
                try {
                    out.put(pool.submit((SerializableCallable<Integer>) () -> 3 * 3).get());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            p.start();
            assertThat(out.get()).isEqualTo(9);
            p.join();
            assertThat(p.exitCode()).isZero();
            long workerPid = pool.submit((SerializableCallable<Long>) () -> ProcessHandle.current().pid())
                    .get(60, TimeUnit.SECONDS);
            assertThat(workerPid).isNotEqualTo(ProcessHandle.current().pid());
            assertThatThrownBy(() -> m.pool(0)).isInstanceOf(IllegalArgumentException.class);

            Process server = serverOf(m);
            server.kill(); // its pool's workers end with it (the leak check looks for them)
            server.join();
            Await.until(Duration.ofSeconds(30), () -> !ProcessHandle.of(workerPid).map(ProcessHandle::isAlive).orElse(false),
                    () -> "the pool worker " + workerPid + " to end with its manager");
        }
    }

    @Test
    void aManagerStoppedBySigtermStillRemovesItsSharedMemoryObjects() {
        try (Manager m = Manager.start()) {
            Lock lock = m.lock();
            Event event = m.event();
            java.nio.file.Path lockFile = java.nio.file.Path.of("/dev/shm", lock.name());
            assertThat(lockFile).exists();
            Process server = serverOf(m);
            server.terminate(); // what this JVM's exit does to a manager it did not shut down
            server.join();
            assertThat(server.exitCode()).isEqualTo(-15);
            assertThat(lockFile).doesNotExist();
            lock.acquire(); // handles already held keep working
            lock.release();
            event.set();
            assertThat(event.isSet()).isTrue();
        }
    }

    @Test
    void aJoinableQueueFromTheManagerIsJoinedWhenEveryItemIsDone() {
        try (Manager m = Manager.start()) {
            JoinableQueue<Integer> q = m.joinableQueue();
            Map<Integer, Integer> squares = m.dict();
            Process p = new Process(() -> {
                while (true) {
                    int x = q.get();
                    squares.put(x, x * x);
                    q.taskDone();
                }
            });
            p.setDaemon(true);
            p.start();
            for (int i = 0; i < 5; i++) {
                q.put(i);
            }
            q.join();
            assertThat(squares).hasSize(5).containsEntry(4, 16);
            p.terminate();
            p.join();
        }
    }

    @Test
    void aProxySentThroughAQueueWorksInTheProcessThatReceivesIt() {
        try (Manager m = Manager.start(); Queue<Object> q = new Queue<>()) {
            Process p = new Process(() -> {
                @SuppressWarnings("unchecked")
                List<String> l = (List<String>) q.get();
                l.add("via a queue");
            });
            p.start();
            List<String> l = m.list();
            q.put(l);
            p.join();
            assertThat(p.exitCode()).isZero();
            assertThat(l).containsExactly("via a queue");
        }
    }

    /**
     * The manager's process, found as a user finds it: among this JVM's active children, by the name
     * it has ({@code Manager-N}).
     */
    private static Process serverOf(Manager m) {
        List<Process> servers = Multiprocessing.activeChildren().stream()
                .filter(c -> c.name().startsWith("Manager-")).toList();
        assertThat(servers).as("the manager's process among %s", Multiprocessing.activeChildren()).hasSize(1);
        return servers.get(0);
    }
}
