package org.multiprocessing4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Each example run as a user runs it, in a JVM of its own: what it prints, that the pids it prints are
 * real and distinct, and that nothing it started outlives it.
 */
@Timeout(40)
class ExamplesTest {
    private static final Duration LIMIT = Duration.ofSeconds(30);

    @RegisterExtension
    final ExampleJvms jvms = new ExampleJvms();

    @Test
    void squareNumbersCollectsThreeResultsThroughAQueue() throws Exception {
        ExampleRun run = ok(jvms.run(SquareNumbers.class, LIMIT));

        assertThat(run.lines()).as(run.output())
                .containsExactly("Results: [[1, 4, 9, 16, 25], [1, 4, 9, 16, 25], [1, 4, 9, 16, 25]]");
    }

    @Test
    void queueHelloPrintsTheListTheChildPut() throws Exception {
        ExampleRun run = ok(jvms.run(QueueHello.class, LIMIT));

        assertThat(run.lines()).as(run.output()).containsExactly("[55, null, hello, world]");
    }

    @Test
    void printNumbersCountsInTwoProcessesThenReportsAfterBothJoins() throws Exception {
        ExampleRun run = ok(jvms.run(PrintNumbers.class, LIMIT));

        assertThat(run.lines()).as(run.output()).hasSize(9).last().isEqualTo("All processes are complete.");
        for (int i = 1; i <= 5; i++) {
            assertThat(run.count("Number: " + i)).as(run.output()).isEqualTo(i <= 3 ? 2 : 1);
        }
    }

    @Test
    void doublerPrintsFromThreeDifferentChildren() throws Exception {
        ExampleRun run = ok(jvms.run(Doubler.class, LIMIT));

        List<Matcher> lines = run.matching("(\\d+) doubled to (\\d+) by process id: (\\d+)");
        assertThat(lines).as(run.output()).hasSize(3).hasSameSizeAs(run.lines());
        assertThat(lines.stream().map(m -> Integer.parseInt(m.group(1)))).containsExactlyInAnyOrder(0, 1, 2);
        lines.forEach(m -> assertThat(Integer.parseInt(m.group(2))).isEqualTo(2 * Integer.parseInt(m.group(1))));
        assertChildPids(run, pids(lines, 3), 3);
    }

    @Test
    void poolDoublerMapsOverThreeWorkersThenClosesAndTerminates() throws Exception {
        ExampleRun run = ok(jvms.run(PoolDoubler.class, LIMIT));

        List<Matcher> lines = run.matching("(\\d+) doubled to (\\d+) by process id: (\\d+)");
        assertThat(lines).as(run.output()).hasSize(10);
        assertThat(lines.stream().map(m -> Integer.parseInt(m.group(1)))).containsExactlyInAnyOrderElementsOf(
                java.util.stream.IntStream.range(0, 10).boxed().toList());
        lines.forEach(m -> assertThat(Integer.parseInt(m.group(2))).isEqualTo(2 * Integer.parseInt(m.group(1))));
        assertThat(lines.stream().map(m -> m.group(3)).distinct().count()).isBetween(1L, 3L);
        assertThat(run.output()).contains("pool closed and joined: true")
                .contains("pool terminated; outstanding work cancelled: true, finished: true");
    }

    @Test
    void poolProgressDrawsABarUpToTheTotalThenTheSum() throws Exception {
        ExampleRun run = ok(jvms.run(PoolProgress.class, LIMIT));

        assertThat(run.output()).contains("200/200").contains("sum of the squares of 0..199: 2646700")
                .doesNotContain("failed");
        List<Integer> done = run.matching("\\[#* *\\] (\\d+)/200").stream()
                .map(m -> Integer.parseInt(m.group(1))).toList();
        assertThat(done).as("the bar is redrawn as chunks finish").hasSize(40).isSorted().endsWith(200);
    }

    @Test
    void workersPrintFiveTimesWithoutBeingJoined() throws Exception {
        ExampleRun run = ok(jvms.run(Workers.class, LIMIT));

        assertThat(run.lines()).as(run.output()).hasSize(5).containsOnly("worker");
    }

    @Test
    void workerArgsPrintsEachCapturedNumberOnce() throws Exception {
        ExampleRun run = ok(jvms.run(WorkerArgs.class, LIMIT));

        assertThat(run.lines()).as(run.output())
                .containsExactlyInAnyOrder("worker 0", "worker 1", "worker 2", "worker 3", "worker 4");
    }

    @Test
    void namedProcessesIncludeTheDefaultNameProcess3() throws Exception {
        ExampleRun run = ok(jvms.run(NamedProcesses.class, LIMIT));

        assertThat(run.lines()).as(run.output()).containsExactlyInAnyOrder(
                "worker-1 starting", "Process-3 starting", "my_service starting",
                "worker-1 exiting", "Process-3 exiting", "my_service exiting");
        for (String name : List.of("worker-1", "Process-3", "my_service")) {
            assertThat(run.lines().indexOf(name + " starting")).as(run.output())
                    .isLessThan(run.lines().indexOf(name + " exiting"));
        }
    }

    @Test
    void daemonIsTerminatedWhenTheMainProgramEnds() throws Exception {
        ExampleRun run = ok(jvms.run(DaemonProcesses.class, LIMIT));

        List<Matcher> daemon = run.matching("starting: daemon (\\d+)");
        List<Matcher> nonDaemon = run.matching("starting: non-daemon (\\d+)");
        assertThat(daemon).as(run.output()).hasSize(1);
        assertThat(nonDaemon).as(run.output()).hasSize(1);
        String nonDaemonPid = nonDaemon.get(0).group(1);
        assertThat(run.lines()).as(run.output())
                .contains("exiting: non-daemon " + nonDaemonPid)
                .noneMatch(line -> line.startsWith("exiting: daemon"))
                .hasSize(3);
        assertChildPids(run, List.of(Long.parseLong(daemon.get(0).group(1)), Long.parseLong(nonDaemonPid)), 2);
    }

    @Test
    void processInfoNamesTheRealParentOfEachProcess() throws Exception {
        ExampleRun run = ok(jvms.run(ProcessInfo.class, LIMIT));
        String module = "module name: " + ProcessInfo.class.getName();

        assertThat(run.lines().subList(0, 4)).as(run.output()).containsExactly(
                "main line", module,
                "parent process: " + ProcessHandle.current().pid(),
                "process id: " + run.pid());
        List<String> children = run.lines().subList(4, run.lines().size());
        assertThat(children).as(run.output()).hasSize(15);
        for (String line : List.of("function f", module, "parent process: " + run.pid(), "bob")) {
            assertThat(children.stream().filter(line::equals)).as(run.output()).hasSize(3);
        }
        List<Matcher> ids = run.matching("process id: (\\d+)");
        assertThat(ids).as(run.output()).hasSize(4);
        assertChildPids(run, pids(ids.subList(1, 4), 1), 3);
    }

    @Test
    void squareJoinPrintsNineNamedResultsThenTheLastLine() throws Exception {
        ExampleRun run = ok(jvms.run(SquareJoin.class, LIMIT));

        assertThat(run.lines()).as(run.output()).hasSize(19).last().isEqualTo("Main-Processing Done!");
        List<Matcher> ids = run.matching("Process ID: (\\d+), Process Name: (\\d+)");
        assertThat(ids.stream().map(m -> m.group(2)))
                .containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(1, 9).mapToObj(String::valueOf)
                        .collect(Collectors.toList()));
        for (Matcher id : ids) {
            int n = Integer.parseInt(id.group(2));
            assertThat(run.lines().indexOf(id.group()))
                    .as(run.output())
                    .isLessThan(run.lines().indexOf("Result of " + n + " square: " + n * n));
        }
        assertChildPids(run, pids(ids, 1), 9);
    }

    @Test
    void subProgramsSayWhoTheyAreFromTheirOwnPids() throws Exception {
        ExampleRun run = ok(jvms.run(SubPrograms.class, LIMIT));

        assertThat(run.lines()).as(run.output()).hasSize(5)
                .first().isEqualTo("Process " + run.pid() + " says: 메인 프로그램");
        List<Matcher> subs = run.matching("Process (\\d+) says: 서브 프로그램 (\\d)");
        assertThat(subs.stream().map(m -> m.group(2))).as(run.output())
                .containsExactlyInAnyOrder("0", "1", "2", "3");
        assertChildPids(run, pids(subs, 1), 4);
    }

    @Test
    void terminateStopsTheCounterAfterFiveSeconds() throws Exception {
        ExampleRun run = ok(jvms.run(TerminateCounter.class, LIMIT));

        assertThat(run.lines()).as(run.output()).startsWith("Process " + run.pid() + " says: 메인 프로그램");
        List<Matcher> loop = run.matching("Process (\\d+) says: loop");
        assertThat(loop).as(run.output()).hasSize(1);
        List<String> numbers = run.lines().stream().filter(l -> l.contains("Number")).collect(Collectors.toList());
        // The child starts within a second or two and prints one number a second until SIGTERM at 5 s.
        assertThat(numbers).as(run.output()).hasSizeBetween(3, 6);
        assertThat(numbers).containsExactlyElementsOf(IntStream.rangeClosed(1, numbers.size())
                .mapToObj(n -> "\tNumber " + n + " of 100000.").collect(Collectors.toList()));
        assertThat(run.lines()).hasSize(2 + numbers.size());
        assertChildPids(run, pids(loop, 1), 1);
    }

    @Test
    void sharedCounterLosesIncrementsWithoutTheLockButNoneWithIt() throws Exception {
        ExampleRun run = ok(jvms.run(SharedCounter.class, LIMIT));

        List<Matcher> unlocked = run.matching("Counter without the lock: (\\d+)");
        assertThat(unlocked).as(run.output()).hasSize(1);
        // Lost updates make it less than 4000 (almost always), never more; how many are lost varies.
        assertThat(Integer.parseInt(unlocked.get(0).group(1))).as(run.output()).isBetween(1, 4000);
        assertThat(run.lines()).as(run.output())
                .containsExactly(unlocked.get(0).group(), "Counter with the lock: 4000");
    }

    @Test
    void sharedArrayIsFilledByThreeChildrenAndPrintedByTheParent() throws Exception {
        ExampleRun run = ok(jvms.run(SharedSquares.class, LIMIT));

        assertThat(run.lines()).as(run.output()).hasSize(4)
                .endsWith("[0, 1, 4, 9, 16, 25, 36, 49, 64, 81, 100, 121]");
        assertThat(run.lines().subList(0, 3)).as(run.output())
                .containsExactlyInAnyOrder("Process-1 filled 0 to 3", "Process-2 filled 4 to 7", "Process-3 filled 8 to 11");
    }

    @Test
    void managedDictIsWrittenByAChildAndFilledByFourWorkers() throws Exception {
        ExampleRun run = ok(jvms.run(ManagedDict.class, LIMIT));

        assertThat(run.lines()).as(run.output()).containsExactly(
                "{1=1, 2=2, 0.25=null}",
                "[9, 8, 7, 6, 5, 4, 3, 2, 1, 0]",
                "Namespace(workers=4, entries=20, sum=2470)");
    }

    @Test
    void remoteManagerServesAQueueToAClientThatConnectsByAddressAndKey() throws Exception {
        ExampleRun run = ok(jvms.run(RemoteManager.class, LIMIT));

        assertThat(run.lines()).as(run.output()).hasSize(4);
        assertThat(run.lines().get(0)).matches("manager listening on 127\\.0\\.0\\.1 \\(port \\d+\\)");
        assertThat(run.lines().subList(1, 4)).containsExactly("client got: hello", "client got: from the server side",
                "server side got: thanks from the client");
    }

    /**
     * {@code stderr} without the warning JDK 24 and later print, once per JVM, when a library calls
     * {@code sun.misc.Unsafe}'s memory methods (JEP 498), as Hazelcast's networking does: the JDK's words
     * about Hazelcast, in every JVM of a cluster, not the example's.
     */
    private static String withoutUnsafeWarnings(String stderr) {
        return stderr.lines().filter(line -> !line.matches("WARNING: (A terminally deprecated method in sun\\.misc\\.Unsafe"
                        + "|sun\\.misc\\.Unsafe::|Please consider reporting this to the maintainers of class com\\.hazelcast\\.).*"))
                .map(line -> line + "\n").reduce("", String::concat);
    }

    /** The run exited with 0 and printed nothing on stderr. */
    private static ExampleRun ok(ExampleRun run) {
        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.stderr()).as(run.output()).isEmpty();
        return run;
    }

    private static List<Long> pids(List<Matcher> lines, int group) {
        List<Long> pids = new ArrayList<>();
        lines.forEach(m -> pids.add(Long.parseLong(m.group(group))));
        return pids;
    }

    /** {@code pids} are {@code n} distinct processes other than the example's JVM, and none is still alive. */
    private static void assertChildPids(ExampleRun run, List<Long> pids, int n) {
        assertThat(pids).as(run.output()).hasSize(n).doesNotHaveDuplicates().doesNotContain(run.pid());
        assertThat(pids).allSatisfy(pid ->
                assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).as("pid %d alive", pid).isEmpty());
    }

    @Test
    @Timeout(120)
    void clusterMapSpreadsOverTwoMembersAndSurvivesLosingOne() throws Exception {
        ExampleRun cluster = jvms.run(ClusterMap.class, Duration.ofSeconds(100));
        ExampleRun run = ok(new ExampleRun(cluster.pid(), cluster.exitCode(), cluster.lines(),
                withoutUnsafeWarnings(cluster.stderr())));

        List<Matcher> squares = run.matching("(\\d+) squared is (\\d+), by worker (\\d+) of member (127\\.0\\.0\\.1:\\d+)");
        assertThat(squares).as(run.output()).hasSize(8);
        squares.forEach(m -> assertThat(Long.parseLong(m.group(2)))
                .isEqualTo(Long.parseLong(m.group(1)) * Long.parseLong(m.group(1))));
        assertThat(run.matching("killing member 127\\.0\\.0\\.1:\\d+ after \\d+ of 40 results")).as(run.output()).hasSize(1);
        assertThat(run.output()).contains("all 40 results, each once and in order: true");
    }
}
