package org.multiprocessing4j.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.multiprocessing4j.AsyncResult;
import org.multiprocessing4j.AuthenticationError;
import org.multiprocessing4j.Pool;
import org.multiprocessing4j.ProcessError;
import org.multiprocessing4j.Process;
import org.multiprocessing4j.Queue;
import org.multiprocessing4j.ResultIterator;
import org.multiprocessing4j.WorkerLostException;
import org.multiprocessing4j.cluster.internal.Driver;
import org.multiprocessing4j.cluster.internal.HazelcastSetup;
import org.multiprocessing4j.cluster.internal.LaneServer;
import org.multiprocessing4j.cluster.internal.MemberService;
import org.multiprocessing4j.testing.Await;
import org.multiprocessing4j.testing.Procs;

/** A pool on members that are real JVMs on loopback, with their own worker JVMs. */
class ClusterPoolTest {
    @TempDir
    Path dir;

    /** Some CPU work, so that a map lasts long enough to lose a member in the middle. */
    static long work(int x) {
        long h = x;
        for (int i = 0; i < 20_000; i++) {
            h = h * 6364136223846793005L + 1442695040888963407L;
        }
        return h;
    }

    @Test
    void aMapSpreadOverTheMembersGivesTheLocalResultAndTypedExceptions() throws Exception {
        try (Members members = Members.start(dir, 2, 1); Cluster cluster = members.connect(2)) {
            assertThat(cluster.members()).containsExactlyInAnyOrderElementsOf(members.addresses);
            assertThat(cluster.workers()).isEqualTo(2);
            Pool pool = cluster.pool();
            List<Integer> items = IntStream.range(0, 10_000).boxed().toList();
            assertThat(pool.map(x -> x * 2, items)).isEqualTo(items.stream().map(x -> x * 2).toList());
            List<Integer> few = items.subList(0, 2_000);
            assertThat(pool.map(x -> x * 2, few, 1)).as("tiny tasks, many in flight at each member")
                    .isEqualTo(few.stream().map(x -> x * 2).toList());
            List<Long> pids = pool.workerPids();
            assertThat(pids).hasSize(2);
            for (Process m : members.processes) {
                assertThat(Members.workersOf(m)).hasSize(1).isSubsetOf(pids);
            }
            assertThatThrownBy(() -> pool.apply(() -> {
                throw new IllegalStateException("thrown in a worker");
            })).isInstanceOf(IllegalStateException.class).hasMessage("thrown in a worker");
            assertThat(pool.applyAsync(() -> ProcessHandle.current().pid()).get()).isIn(pids);
            pool.close();
            assertThat(pool.isTerminated()).isTrue();
        }
    }

    @Test
    void aMemberKilledInTheMiddleOfAMapLosesNothing() throws Exception {
        try (Members members = Members.start(dir, 3, 1); Cluster cluster = members.connect(3)) {
            Pool pool = cluster.pool();
            List<Integer> items = IntStream.range(0, 20_000).boxed().toList();
            List<Long> expected = items.stream().map(ClusterPoolTest::work).toList();
            Process victim = members.processes.get(1);
            List<Long> victimWorkers = new ArrayList<>();
            AtomicBoolean killed = new AtomicBoolean();
            AsyncResult<List<Long>> result = pool.mapAsync(ClusterPoolTest::work, items, 100, (done, total, failed) -> {
                if (done >= total / 4 && killed.compareAndSet(false, true)) {
                    victimWorkers.addAll(Members.workersOf(victim));
                    victim.kill();
                }
            });
            List<Long> results = result.get();
            assertThat(killed).isTrue();
            assertThat(results).isEqualTo(expected); // each result once, in order
            victim.join(Duration.ofSeconds(30));
            assertThat(victim.exitCode()).isEqualTo(-9);
            assertThat(victimWorkers).isNotEmpty();
            Await.until(Duration.ofSeconds(30), () -> victimWorkers.stream().noneMatch(Procs::isRunning),
                    () -> "the killed member's workers " + victimWorkers + " to die with it");
            assertThat(cluster.members()).hasSize(2);
            pool.close();
        }
    }

    @Test
    void aMemberKilledWhileItHoldsManyTinyTasksLosesNone() throws Exception {
        try (Members members = Members.start(dir, 3, 1); Cluster cluster = members.connect(3)) {
            Pool pool = cluster.pool();
            List<Integer> items = IntStream.range(0, 20_000).boxed().toList();
            Process victim = members.processes.get(2);
            AtomicBoolean killed = new AtomicBoolean();
            // chunks of one tiny task: each member holds many of them in flight when it dies
            AsyncResult<List<Integer>> result = pool.mapAsync(x -> x * 2, items, 1, (done, total, failed) -> {
                if (done >= total / 4 && killed.compareAndSet(false, true)) {
                    victim.kill();
                }
            });
            assertThat(result.get()).isEqualTo(items.stream().map(x -> x * 2).toList()); // each once, in order
            assertThat(killed).isTrue();
            victim.join(Duration.ofSeconds(30));
            assertThat(victim.exitCode()).isEqualTo(-9);
            pool.close();
        }
    }

    @Test
    void aRunawayTaskPastItsDeadlineCostsOnlyItsWorker() throws Exception {
        try (Members members = Members.start(dir, 2, 1); Cluster cluster = members.connect(2)) {
            Pool pool = cluster.pool(Pool.builder().taskTimeout(Duration.ofSeconds(3)));
            assertThat(pool.map(x -> x + 1, List.of(1, 2, 3, 4))).containsExactly(2, 3, 4, 5); // workers ready
            List<Long> before = pool.workerPids();
            AsyncResult<Object> runaway = pool.applyAsync(() -> {
                while (!Thread.interrupted()) {
                    Thread.onSpinWait();
                }
                return "interrupted, never";
            });
            assertThatThrownBy(runaway::get).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(TimeoutException.class).hasMessageContaining("deadline");
            assertThat(before.stream().filter(Procs::isRunning)).hasSize(1); // the other worker lives
            assertThat(members.processes).allMatch(Process::isAlive);
            assertThat(pool.map(x -> x * 10, List.of(1, 2, 3))).containsExactly(10, 20, 30);
            Await.until(Duration.ofSeconds(30), () -> pool.workerPids().size() == 2, "the worker to be replaced");
            pool.close();
        }
    }

    @Test
    void aDriverWithAnotherKeyIsRefusedAndNothingOfItsRuns() throws Exception {
        try (Members members = Members.start(dir, 1, 1)) {
            byte[] trimmed = "the cluster's key".getBytes(StandardCharsets.UTF_8); // the file's bytes without its newline
            assertThatThrownBy(() -> Cluster.connect(members.name, members.addresses.get(0), trimmed))
                    .isInstanceOf(AuthenticationError.class).hasMessageContaining("refused");
            assertThat(Members.workersOf(members.processes.get(0))).isEmpty(); // no pool was opened
            try (Cluster cluster = members.connect(1)) {
                assertThat(cluster.pool().apply(() -> "the right key works")).isEqualTo("the right key works");
            }
        }
    }

    @Test
    void aMemberWithAnotherKeyCannotJoin() throws Exception {
        try (Members members = Members.start(dir, 1, 1)) {
            Path otherKey = Files.write(dir.resolve("other-key"), "another key".getBytes(StandardCharsets.UTF_8));
            Process intruder = members.add(1, otherKey);
            intruder.join(Duration.ofSeconds(60));
            assertThat(intruder.exitCode()).isEqualTo(1);
            try (Cluster cluster = members.connect(1)) {
                assertThat(cluster.members()).containsExactly(members.addresses.get(0));
            }
        }
    }

    @Test
    void aDriverKilledWithKill9LeavesNoBusyWorker() throws Exception {
        try (Members members = Members.start(dir, 2, 1)) {
            Queue<List<Long>> pids = new Queue<>();
            String name = members.name;
            String addresses = String.join(",", members.addresses);
            Process driver = new Process(() -> {
                Cluster cluster = Cluster.connect(name, addresses, Members.KEY);
                cluster.awaitMembers(2, Duration.ofSeconds(60));
                Pool pool = cluster.pool();
                for (int i = 0; i < 2; i++) {
                    pool.applyAsync(() -> {
                        while (true) {
                            Thread.onSpinWait();
                        }
                    });
                }
                Await.until(Duration.ofSeconds(60), () -> pool.workerPids().size() == 2, "both workers");
                pids.put(pool.workerPids());
                while (true) {
                    Thread.onSpinWait(); // until killed
                }
            }, "driver");
            driver.start();
            List<Long> busy = pids.get(Duration.ofSeconds(60));
            assertThat(busy).hasSize(2).allMatch(Procs::isRunning);
            driver.kill();
            driver.join(Duration.ofSeconds(30));
            // the members see its lanes close at once; the issue allows the failure-detection timeout
            int seconds = HazelcastSetup.failureSeconds() + 5;
            Await.until(Duration.ofSeconds(seconds), () -> busy.stream().noneMatch(Procs::isRunning),
                    () -> "the dead driver's workers " + busy + " to be killed within " + seconds + " s");
            assertThat(members.processes).allMatch(Process::isAlive);
            pids.close();
        }
    }

    @Test
    void aMemberThatRunsOtherCodeIsRefusedByName() throws Exception {
        Path extra = Files.createDirectories(dir.resolve("other-code"));
        Files.writeString(extra.resolve("Extra.txt"), "not on the driver's class path");
        try (Members members = new Members(dir)) {
            String address = "127.0.0.1:" + Members.freePort();
            java.lang.Process member = members.standalone(address, extra.toString(), List.of());
            try (Cluster cluster = Cluster.connect(members.name, address, Members.KEY)) {
                assertThat(cluster.members()).isEmpty();
                assertThatThrownBy(cluster::pool).isInstanceOf(ProcessError.class)
                        .hasMessageContaining(address).hasMessageContaining("other-code/ (only the member's)");
            } finally {
                member.destroyForcibly().waitFor();
            }
        }
    }

    @Test
    void imapOverAnEndlessInputReadsABoundedPrefix() throws Exception {
        try (Members members = Members.start(dir, 2, 1); Cluster cluster = members.connect(2)) {
            Pool pool = cluster.pool(Pool.builder().readAhead(16));
            AtomicInteger read = new AtomicInteger();
            Iterable<Integer> endless = () -> new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return true;
                }

                @Override
                public Integer next() {
                    return read.getAndIncrement();
                }
            };
            ResultIterator<Integer> results = pool.imap(x -> x * 3, endless);
            for (int i = 0; i < 100; i++) {
                assertThat(results.next()).isEqualTo(i * 3);
            }
            assertThat(read.get()).isBetween(100, 100 + 16 + 1);
            pool.terminate();
        }
    }

    @Test
    void wrongFlagsGiveTheUsageAndExitCode2() throws Exception {
        Process missing = new Process(() -> Member.main(new String[] {"--cluster", "x"}));
        missing.start();
        missing.join(Duration.ofSeconds(60));
        assertThat(missing.exitCode()).isEqualTo(2);
        Process unknown = new Process(() -> Member.main(new String[] {"--cluster", "x", "--bind", "127.0.0.1:1",
                "--authkey-file", "k", "--verbose", "yes"}));
        unknown.start();
        unknown.join(Duration.ofSeconds(60));
        assertThat(unknown.exitCode()).isEqualTo(2);
    }

    /** Leaves a file named for this task in {@code dir}, then sleeps: a task whose start the test sees. */
    static long markedSleep(String dir, String name, long millis) throws Exception {
        Files.writeString(Path.of(dir, name), "");
        Thread.sleep(millis);
        return ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
    }

    @Test
    void aMemberStoppedWithSigtermFinishesItsRunningTaskThenLeaves() throws Exception {
        Path marks = Files.createDirectories(dir.resolve("marks"));
        String where = marks.toString();
        try (Members members = new Members(dir)) {
            String address = "127.0.0.1:" + Members.freePort();
            java.lang.Process standalone = members.standalone(address, null, List.of());
            try {
                try (Cluster cluster = Cluster.connect(members.name, address, Members.KEY)) {
                    assertThat(cluster.awaitMembers(1, Duration.ofSeconds(60))).isTrue();
                    Pool pool = cluster.pool();
                    AsyncResult<Long> running = pool.applyAsync(() -> markedSleep(where, "long", 3_000));
                    Await.until(Duration.ofSeconds(60), () -> Files.exists(marks.resolve("long")), "the task to start");
                    members.addresses.add(address);
                    members.add(1, members.keyFile); // a second member, to take the work from now on
                    Await.until(Duration.ofSeconds(60), () -> cluster.members().size() == 2, "the second member");
                    standalone.destroy(); // SIGTERM
                    assertThat(running.get()).isEqualTo(standalone.pid()); // it drained: the task ran to its end there
                    assertThat(standalone.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
                    long second = members.processes.get(0).pid();
                    assertThat(pool.map(x -> ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L),
                            List.of(1, 2, 3), 1)).containsOnly(second);
                    pool.close();
                }
            } finally {
                standalone.destroyForcibly().waitFor();
            }
        }
    }

    @Test
    void aCappedPoolThatLosesItsMemberTakesAnother() throws Exception {
        try (Members members = Members.start(dir, 2, 1); Cluster cluster = members.connect(2)) {
            Pool pool = cluster.pool(Pool.builder().processes(1));
            assertThat(pool.map(x -> x, List.of(1, 2, 3))).containsExactly(1, 2, 3);
            List<Long> pids = pool.workerPids();
            assertThat(pids).hasSize(1);
            long used = ProcessHandle.of(pids.get(0)).flatMap(ProcessHandle::parent).map(ProcessHandle::pid).orElseThrow();
            Process victim = members.processes.stream().filter(p -> p.pid() == used).findFirst().orElseThrow();
            AtomicBoolean killed = new AtomicBoolean();
            List<Long> results = pool.map(ClusterPoolTest::work, IntStream.range(0, 200).boxed().toList(), 10,
                    (done, total, failed) -> {
                        if (killed.compareAndSet(false, true)) {
                            victim.kill();
                        }
                    });
            assertThat(results).isEqualTo(IntStream.range(0, 200).mapToObj(ClusterPoolTest::work).toList());
            assertThat(pool.workerPids()).hasSize(1).doesNotContain(pids.get(0));
            pool.close();
        }
    }

    @Test
    void aMemberWhoseDataConnectionDropsIsGreetedAgainAndTakesWorkAgain() throws Exception {
        try (Members members = Members.start(dir, 2, 1); Cluster cluster = members.connect(2)) {
            Pool pool = cluster.pool();
            List<Integer> items = IntStream.range(0, 1_000).boxed().toList();
            List<Integer> doubled = items.stream().map(x -> x * 2).toList();
            assertThat(pool.map(x -> x * 2, items)).isEqualTo(doubled);
            Process first = members.processes.get(0);
            List<Long> before = Members.workersOf(first);
            assertThat(before).hasSize(1).isSubsetOf(pool.workerPids());

            cutDataConnection(cluster, members.addresses.get(0));
            // the member ends the session (its worker for it is killed); the driver greets it again, and the
            // pool opens there anew, with a new worker
            Await.until(Duration.ofSeconds(60), () -> {
                List<Long> now = Members.workersOf(first);
                return now.size() == 1 && !now.equals(before) && pool.workerPids().containsAll(now);
            }, () -> "a new worker of the member " + members.addresses.get(0) + " in the pool: " + pool.workerPids());
            Await.until(Duration.ofSeconds(30), () -> before.stream().noneMatch(Procs::isRunning),
                    () -> "the member's old worker " + before + " to be killed with its session");
            assertThat(pool.map(x -> x * 2, items)).isEqualTo(doubled);
            assertThat(pool.workerPids()).hasSize(2);
            pool.close();
        }
    }

    @Test
    void aSessionItsMemberEndsWhileTheDriverStaysIsBegunAgain() throws Exception {
        // the member runs in this JVM (its workers are JVMs of their own), so that the test can end the session
        // as the member does when Hazelcast reports the driver gone from it for a while
        String name = "mp4j-test-" + java.util.UUID.randomUUID();
        String address = "127.0.0.1:" + Members.freePort();
        MemberService service = new MemberService(Members.KEY, address, 1,
                org.multiprocessing4j.internal.runtime.StartMethod.SPAWN);
        LaneServer lanes = LaneServer.start("127.0.0.1", Members.KEY, service);
        com.hazelcast.config.Config config = HazelcastSetup.member(name, "127.0.0.1",
                Integer.parseInt(address.substring(address.lastIndexOf(':') + 1)), List.of());
        config.getUserContext().put(MemberService.CONTEXT_KEY, service);
        com.hazelcast.core.HazelcastInstance hz = com.hazelcast.core.Hazelcast.newHazelcastInstance(config);
        try {
            service.started(hz.getCluster().getLocalMember().getUuid(), lanes.address());
            try (Cluster cluster = Cluster.connect(name, address, Members.KEY)) {
                assertThat(cluster.awaitMembers(1, Duration.ofSeconds(60))).isTrue();
                Pool pool = cluster.pool();
                List<Integer> items = IntStream.range(0, 100).boxed().toList();
                List<Integer> doubled = items.stream().map(x -> x * 2).toList();
                assertThat(pool.map(x -> x * 2, items)).isEqualTo(doubled);
                List<Long> before = pool.workerPids();

                java.util.UUID driver = hz.getClientService().getConnectedClients().iterator().next().getUuid();
                service.clientGone(driver, () -> false); // its pool's worker killed, its lane closed
                // the only member: without a new session there, the map would wait for ever
                assertThat(pool.mapAsync(x -> x * 2, items).get(60, java.util.concurrent.TimeUnit.SECONDS))
                        .isEqualTo(doubled);
                assertThat(pool.workerPids()).hasSize(1).doesNotContainAnyElementsOf(before);
                pool.close();
            }
        } finally {
            service.drain(Duration.ZERO);
            lanes.close();
            hz.shutdown();
        }
    }

    /** Closes the driver's data connection to the member at {@code address}, as a network fault would close it. */
    private static void cutDataConnection(Cluster cluster, String address) throws Exception {
        java.lang.reflect.Field f = Cluster.class.getDeclaredField("driver");
        f.setAccessible(true);
        Driver driver = (Driver) f.get(cluster);
        Driver.Peer peer = driver.peers().stream().filter(p -> p.address().equals(address)).findFirst().orElseThrow();
        ((AutoCloseable) peer.lane()).close();
    }

    @Test
    void closingTheClusterKillsTheWorkerOfACancelledTaskStillRunning() throws Exception {
        try (Members members = Members.start(dir, 1, 1)) {
            List<Long> pids;
            try (Cluster cluster = members.connect(1)) {
                Pool pool = cluster.pool();
                AsyncResult<Object> endless = pool.applyAsync(() -> {
                    while (true) {
                        Thread.onSpinWait();
                    }
                });
                Await.until(Duration.ofSeconds(60), () -> pool.workerPids().size() == 1, "the worker");
                pids = pool.workerPids();
                endless.cancel(false); // not killed: it runs on
                pool.shutdown();
                assertThat(pids).allMatch(Procs::isRunning);
            }
            Await.until(Duration.ofSeconds(30), () -> pids.stream().noneMatch(Procs::isRunning),
                    () -> "the worker " + pids + " to be killed when the cluster connection closed");
            assertThat(members.processes.get(0).isAlive()).isTrue();
        }
    }

    @Test
    void withEncryptionOnBothSidesAMapRunsAndADriverInTheClearIsRefused() throws Exception {
        try (Members members = new Members(dir)) {
            String address = "127.0.0.1:" + Members.freePort();
            java.lang.Process member = members.standalone(address, null, List.of("-Dmultiprocessing4j.cluster.encrypt=true"));
            try {
                try (Cluster clear = Cluster.connect(members.name, address, Members.KEY)) {
                    assertThat(clear.members()).isEmpty();
                    assertThatThrownBy(clear::pool).isInstanceOf(ProcessError.class)
                            .hasMessageContaining(address).hasMessageContaining("encrypts");
                }
                System.setProperty("multiprocessing4j.cluster.encrypt", "true");
                try (Cluster encrypted = Cluster.connect(members.name, address, Members.KEY)) {
                    assertThat(encrypted.awaitMembers(1, Duration.ofSeconds(60))).isTrue();
                    Pool pool = encrypted.pool();
                    assertThat(pool.map(x -> "secret " + x, List.of(1, 2, 3))).containsExactly("secret 1", "secret 2", "secret 3");
                    pool.close();
                }
            } finally {
                System.clearProperty("multiprocessing4j.cluster.encrypt");
                member.destroyForcibly().waitFor();
            }
        }
    }

    @Test
    void aTaskThatKillsItsWorkerFailsWithWorkerLostAndTheMemberReplacesIt() throws Exception {
        try (Members members = Members.start(dir, 1, 1); Cluster cluster = members.connect(1)) {
            Pool pool = cluster.pool();
            assertThat(pool.apply(() -> 1)).isEqualTo(1);
            long before = pool.workerPids().get(0);
            assertThatThrownBy(() -> pool.apply(() -> {
                System.exit(3);
                return 0;
            })).isInstanceOf(WorkerLostException.class).hasMessageContaining("exit code 3");
            assertThat(pool.apply(() -> 2)).isEqualTo(2);
            assertThat(pool.workerPids()).hasSize(1).doesNotContain(before);
            assertThat(members.processes.get(0).isAlive()).isTrue();
            pool.close();
        }
    }

    @Test
    void aTaskThatKillsItsWorkerRunsAgainWhileItHasRetriesEachDeathCountingAndFreshWorkersServeEachChild()
            throws Exception {
        try (Members members = Members.start(dir, 2, 1); Cluster cluster = members.connect(2)) {
            Path marker = dir.resolve("died-once");
            String m = marker.toString();
            Pool once = cluster.pool(Pool.builder().retries(1).maxTasksPerChild(1));
            assertThat(once.apply(() -> {
                Path p = Path.of(m);
                if (!Files.exists(p)) {
                    Files.createFile(p);
                    System.exit(3); // the first attempt's worker dies
                }
                return "second attempt";
            })).isEqualTo("second attempt");
            long first = once.apply(() -> ProcessHandle.current().pid());
            long second = once.apply(() -> ProcessHandle.current().pid());
            assertThat(second).as("a worker runs one task, then another takes its place").isNotEqualTo(first);
            once.close();

            Path deaths = dir.resolve("deaths");
            String d = deaths.toString();
            Pool twice = cluster.pool(Pool.builder().retries(1));
            assertThatThrownBy(() -> twice.apply(() -> {
                Files.writeString(Path.of(d), "x", java.nio.file.StandardOpenOption.CREATE,
                        java.nio.file.StandardOpenOption.APPEND);
                System.exit(4);
                return 0;
            })).isInstanceOf(WorkerLostException.class).hasMessageContaining("exit code 4");
            assertThat(Files.readString(deaths)).as("run once, and once again").isEqualTo("xx");
            twice.close();
        }
    }

    @Test
    void aPoolWhoseInitializerFailsOnEveryMemberFailsItsWorkSayingWhy() throws Exception {
        try (Members members = Members.start(dir, 1, 1); Cluster cluster = members.connect(1)) {
            Pool pool = cluster.pool(Pool.builder().initializer(() -> {
                throw new IllegalStateException("no database on this host");
            }));
            assertThatThrownBy(() -> pool.map(x -> x, List.of(1, 2, 3))).isInstanceOf(ProcessError.class)
                    .hasMessageContaining("cannot start").hasMessageContaining("no database on this host");
            assertThatThrownBy(() -> pool.apply(() -> 1)).isInstanceOf(ProcessError.class)
                    .hasMessageContaining("cannot start");
            pool.terminate();
        }
    }

    @Test
    void aMemberStartedAsAChildDiesWithItsParentAndItsWorkersWithIt() throws Exception {
        Members members = new Members(dir);
        Queue<Long> memberPid = new Queue<>();
        String address = "127.0.0.1:" + Members.freePort();
        String[] argv = {"--cluster", members.name, "--bind", address, "--workers", "1", "--authkey-file",
                members.keyFile.toString()};
        Process parent = new Process(() -> {
            Process member = new Process(() -> Member.main(argv), "member");
            member.start();
            memberPid.put(member.pid());
            member.join();
        }, "parent");
        parent.start();
        long pid = memberPid.get(Duration.ofSeconds(60));
        List<Long> workers;
        try (Cluster cluster = Cluster.connect(members.name, address, Members.KEY)) {
            assertThat(cluster.awaitMembers(1, Duration.ofSeconds(60))).isTrue();
            Pool pool = cluster.pool();
            assertThat(pool.apply(() -> 1)).isEqualTo(1);
            workers = pool.workerPids();
            parent.kill();
            parent.join(Duration.ofSeconds(30));
            Await.until(Duration.ofSeconds(30), () -> !Procs.isRunning(pid) && workers.stream().noneMatch(Procs::isRunning),
                    () -> "the member " + pid + " and its workers " + workers + " to die with their parent");
        }
        memberPid.close();
    }
}
