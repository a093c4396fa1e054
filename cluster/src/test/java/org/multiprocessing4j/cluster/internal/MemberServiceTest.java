package org.multiprocessing4j.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.cluster.Address;
import com.hazelcast.cluster.impl.MemberImpl;
import com.hazelcast.spi.exception.TargetDisconnectedException;
import com.hazelcast.version.MemberVersion;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.SerializableRunnable;
import org.multiprocessing4j.TaskFunction;
import org.multiprocessing4j.internal.codec.Serialization;
import org.multiprocessing4j.internal.pool.Engine;
import org.multiprocessing4j.internal.pool.RemoteWorkers;
import org.multiprocessing4j.internal.pool.Task;
import org.multiprocessing4j.internal.runtime.StartMethod;
import org.multiprocessing4j.internal.wire.AuthServer;
import org.multiprocessing4j.internal.wire.Dial;
import org.multiprocessing4j.internal.wire.SocketTransport;
import org.multiprocessing4j.testing.Await;
import org.multiprocessing4j.testing.Procs;

/**
 * A member's service, spoken to as a driver speaks to it, envelope by envelope (without Hazelcast
 * between, and on a real {@link Lane} where a lane's messages travel), with this test as the driver its
 * workers connect to ({@link Link}): what it takes, what it refuses, that it takes each message once, and
 * what it tells of its workers' ends. Its workers are real JVMs.
 */
class MemberServiceTest {
    private static final byte[] KEY = "the key".getBytes(StandardCharsets.UTF_8);
    private static final Duration LONG = Duration.ofSeconds(60);
    private final UUID self = UUID.randomUUID();
    private final UUID driver = UUID.randomUUID();
    private final BlockingQueue<SocketTransport> arrived = new LinkedBlockingQueue<>();
    private final List<Link> links = new ArrayList<>();
    private final java.util.Map<Link, SocketTransport> transports = new java.util.HashMap<>();
    private final List<SocketTransport> transportsToClose = new ArrayList<>();
    private MemberService member;
    private AuthServer linkServer;
    private long seq;
    private byte[] sessionKey;

    @BeforeEach
    void start() {
        member = new MemberService(KEY, "127.0.0.1:1", 1, StartMethod.SPAWN);
        member.started(self, "127.0.0.1:2");
        linkServer = AuthServer.start("127.0.0.1:0", KEY, "test-links", arrived::add);
    }

    @AfterEach
    void stop() {
        member.end(driver);
        links.forEach(Link::close);
        transportsToClose.forEach(SocketTransport::close);
        linkServer.close();
        arrived.forEach(SocketTransport::close);
        // a session whose lane ended ends on the lane's thread, until its workers have ended: the leak check
        // after the test must not come first
        awaitLaneThreadsEnded();
    }

    /** The outcome of a chunk, as a driver's job reads it. */
    private static final class Outcome implements Engine.Job {
        final List<Object> results = new ArrayList<>();
        Throwable error;

        @Override
        public void done(Task task, List<Object> r) {
            results.addAll(r);
        }

        @Override
        public void failed(Task task, Throwable e) {
            error = e;
        }
    }

    private byte[] hello(byte[] key, long epoch, UUID target, byte[] nonce) {
        return new Envelope(ClusterWire.HELLO, driver, 0,
                ClusterWire.hello(new ClusterWire.Hello(nonce, ClusterWire.DRIVER, epoch, target, false))).seal(key);
    }

    /** Says HELLO; the session's key. */
    private byte[] session(long epoch) throws Exception {
        byte[] nonce = new byte[16];
        nonce[0] = (byte) epoch;
        byte[] reply = member.handle(hello(KEY, epoch, self, nonce));
        Envelope e = Envelope.open(reply, KEY);
        assertThat(e.kind()).isEqualTo(ClusterWire.WELCOME);
        ClusterWire.Welcome w = ClusterWire.readWelcome(e.body());
        assertThat(w.driverNonce()).isEqualTo(nonce);
        assertThat(w.slots()).isEqualTo(1);
        sessionKey = Envelope.sessionKey(KEY, nonce, w.memberNonce());
        return sessionKey;
    }

    private byte[] sealed(byte[] key, byte kind, byte[] body) {
        return new Envelope(kind, driver, ++seq, body).seal(key);
    }

    private static String refusal(byte[] reply) throws Exception {
        assertThat(Envelope.kindOf(reply)).isEqualTo(ClusterWire.REFUSED);
        return Envelope.openRefusal(reply).reason();
    }

    /** An OPEN of {@code pool}, its workers told to connect to this test. */
    private byte[] open(int pool) {
        return open(pool, 0, new byte[0], linkServer.address());
    }

    private static byte[] open(int pool, int maxTasks, byte[] initializer, String links) {
        return ClusterWire.open(new ClusterWire.Open(pool, 1, maxTasks, initializer, links));
    }

    /** This test as the driver its member's workers take for theirs: the session's peer. */
    private Driver.Peer peer() throws java.net.UnknownHostException {
        return new Driver.Peer(new MemberImpl(new Address("127.0.0.1", 5701), MemberVersion.of(5, 7, 0), false, self),
                "127.0.0.1:1", 1, 1, sessionKey, null, 1, null, linkServer.address());
    }

    /** The next worker that connects, its hello checked with the session's key. */
    private Link nextLink() throws Exception {
        SocketTransport t = arrived.poll(LONG.toSeconds(), TimeUnit.SECONDS);
        assertThat(t).as("a worker connected").isNotNull();
        Driver.Peer p = peer();
        Link link = new Link(t, Link.readHello(t, m -> m.equals(self) ? p : null));
        links.add(link);
        transports.put(link, t);
        return link;
    }

    private static Task chunk(long id, TaskFunction<Integer, Integer> fn, List<Integer> args) {
        return Task.ofChunk(id, new Outcome(), 0, (int) id, Serialization.toBytes(fn, "fn"), args, 0);
    }

    private static Task squares(long id, List<Integer> args) {
        TaskFunction<Integer, Integer> square = x -> x * x;
        return chunk(id, square, args);
    }

    /** The messages that run {@code t} on a worker: its function, then the chunk. */
    private static List<ByteBuffer[]> messages(Task t) {
        return List.of(new ByteBuffer[] {RemoteWorkers.defineHead(t.fnId()), ByteBuffer.wrap(t.fnBytes())},
                new ByteBuffer[] {ByteBuffer.wrap(t.message())});
    }

    /** Runs {@code t} on the worker of {@code link}; its outcome. */
    private static Outcome run(Link link, Task t) throws Exception {
        link.send(messages(t));
        assertThat(link.poll(LONG.toNanos())).as("an answer").isTrue();
        ByteBuffer answer = link.receive();
        assertThat(RemoteWorkers.taskOf(answer)).isEqualTo(t.id());
        RemoteWorkers.read(answer).deliver(t);
        return (Outcome) t.job();
    }

    /** How the member says the worker of {@code link} ended, asked on {@code lane}. */
    private ClusterWire.Ended ended(Lane lane, int pool, Link link) throws Exception {
        byte[] reply = lane.call(sealed(sessionKey, ClusterWire.END,
                ClusterWire.worker(new ClusterWire.Worker(pool, link.hello().worker().worker())))).get(60, TimeUnit.SECONDS);
        Envelope e = Envelope.open(reply, sessionKey);
        assertThat(e.kind()).isEqualTo(ClusterWire.ENDED);
        return ClusterWire.readEnded(e.body());
    }

    /** A lane of this session, to a lane server of the member. */
    private Lane lane(LaneServer server) throws Exception {
        Lane lane = Lane.open(server.address(), KEY, "a test member", l -> { });
        byte[] attached = lane.call(sealed(sessionKey, ClusterWire.LANE, new byte[0])).get(30, TimeUnit.SECONDS);
        assertThat(Envelope.open(attached, sessionKey).kind()).isEqualTo(ClusterWire.OK);
        return lane;
    }

    private List<Long> workerPids(byte[] key, int pool) {
        Envelope e = Envelope.open(member.handle(sealed(key, ClusterWire.PIDS, ClusterWire.pool(pool))), key);
        try {
            return ClusterWire.readPidList(e.body());
        } catch (IOException corrupt) {
            throw new AssertionError(corrupt);
        }
    }

    @Test
    void aHelloWithAnotherKeyForAnotherMemberOrOfAnOldEpochIsRefused() throws Exception {
        byte[] wrong = member.handle(hello("another".getBytes(StandardCharsets.UTF_8), 1, self, new byte[16]));
        assertThat(Envelope.openRefusal(wrong).wrongKey()).isTrue();
        assertThat(refusal(member.handle(hello(KEY, 1, UUID.randomUUID(), new byte[16])))).contains("another member");
        session(2);
        assertThat(refusal(member.handle(hello(KEY, 2, self, new byte[16])))).contains("begun before");
        assertThat(refusal(member.handle(hello(KEY, 1, self, new byte[16])))).contains("begun before");
    }

    @Test
    void aPoolsWorkerConnectsToItsDriverAndRunsItsTasksThereAndEachMessageIsTakenOnce() throws Exception {
        byte[] key = session(1);
        byte[] openPool = sealed(key, ClusterWire.OPEN, open(1));
        assertThat(Envelope.open(member.handle(openPool), key).kind()).isEqualTo(ClusterWire.OK);
        assertThat(refusal(member.handle(openPool))).contains("taken before");

        Link link = nextLink();
        assertThat(link.hello().worker().pool()).isEqualTo(1);
        assertThat(workerPids(key, 1)).containsExactly(link.hello().worker().pid());
        assertThat(run(link, squares(77, List.of(2, 3))).results).containsExactly(4, 9);
        assertThat(run(link, squares(78, List.of(5))).results).containsExactly(25);

        byte[] tampered = sealed(key, ClusterWire.PIDS, ClusterWire.pool(1));
        tampered[tampered.length - 1] ^= 1;
        assertThat(refusal(member.handle(tampered))).contains("signature");
        assertThat(refusal(member.handle(sealed(KEY, ClusterWire.PIDS, ClusterWire.pool(1))))).contains("signature");
    }

    @Test
    void aWorkerThatATaskEndsIsToldAsSuchAndReplacedAndOneKilledAsKilled() throws Exception {
        session(1);
        member.handle(sealed(sessionKey, ClusterWire.OPEN, open(1)));
        try (LaneServer server = LaneServer.start("127.0.0.1", KEY, member); Lane lane = lane(server)) {
            Link first = nextLink();
            TaskFunction<Integer, Integer> exits = x -> {
                System.exit(x);
                return x;
            };
            first.send(messages(chunk(5, exits, List.of(3))));
            assertThatThrownBy(() -> {
                first.poll(LONG.toNanos());
                first.receive();
            }).isInstanceOf(IOException.class); // the link ends with its worker
            ClusterWire.Ended end = ended(lane, 1, first);
            assertThat(end.how()).isEqualTo(ClusterWire.EXITED);
            assertThat(end.exitCode()).isEqualTo(3);

            Link second = nextLink(); // its replacement
            assertThat(second.hello().worker().worker()).isNotEqualTo(first.hello().worker().worker());
            assertThat(run(second, squares(6, List.of(4))).results).containsExactly(16);
            byte[] killed = lane.call(sealed(sessionKey, ClusterWire.KILL,
                    ClusterWire.worker(new ClusterWire.Worker(1, second.hello().worker().worker())))).get(30, TimeUnit.SECONDS);
            assertThat(Envelope.open(killed, sessionKey).kind()).isEqualTo(ClusterWire.OK);
            assertThat(ended(lane, 1, second).exitCode()).as("SIGKILL").isEqualTo(-9);

            Link third = nextLink(); // replaced again
            TaskFunction<Integer, Integer> exitsLikeALostLink = x -> {
                System.err.println("a task's last words");
                System.exit(LinkWorker.LINK_LOST); // the code of a worker whose link ended, but without its end file
                return x;
            };
            third.send(messages(chunk(9, exitsLikeALostLink, List.of(1))));
            ClusterWire.Ended task = ended(lane, 1, third);
            assertThat(task.how()).as("the task's doing").isEqualTo(ClusterWire.EXITED);
            assertThat(task.exitCode()).isEqualTo(LinkWorker.LINK_LOST);
            assertThat(task.stderrTail()).contains("a task's last words");
            nextLink();
        }
    }

    @Test
    void aWorkerWhoseLinkEndsUnderItEndsAsTheLinksAndNotTheTasks() throws Exception {
        session(1);
        member.handle(sealed(sessionKey, ClusterWire.OPEN, open(1)));
        try (LaneServer server = LaneServer.start("127.0.0.1", KEY, member); Lane lane = lane(server)) {
            Link idle = nextLink();
            idle.close(); // the driver's side of the link ends: the worker reads its end
            ClusterWire.Ended lost = ended(lane, 1, idle);
            assertThat(lost.how()).isEqualTo(ClusterWire.LINK_ENDED);
            assertThat(lost.stderrTail()).as("no word of it: its driver knows").doesNotContain("link");
            assertThat(endFiles()).as("its end file read and deleted").isEmpty();

            Link busy = nextLink();
            TaskFunction<Integer, Integer> sleeps = x -> {
                LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(120));
                return x;
            };
            busy.send(messages(chunk(7, sleeps, List.of(1))));
            Await.until(Duration.ofSeconds(30), () -> workerPids(sessionKey, 1).contains(busy.hello().worker().pid()),
                    "the busy worker");
            busy.close(); // the worker sees nothing while its task runs: its member kills it when asked how it ended
            long asked = System.nanoTime();
            assertThat(ended(lane, 1, busy).how()).isEqualTo(ClusterWire.LINK_ENDED);
            assertThat(Duration.ofNanos(System.nanoTime() - asked)).isGreaterThanOrEqualTo(WorkerHost.END_GRACE)
                    .isLessThan(Duration.ofSeconds(30));
            assertThat(Procs.isRunning(busy.hello().worker().pid())).isFalse();
        }
    }

    @Test
    void aWorkerTakesNoFrameNotOfItsLinkOrNotInTurn() throws Exception {
        session(1);
        member.handle(sealed(sessionKey, ClusterWire.OPEN, open(1)));
        try (LaneServer server = LaneServer.start("127.0.0.1", KEY, member); Lane lane = lane(server)) {
            Link link = nextLink();
            // a frame sealed for another link of the same session, in its place in the numbering
            Link.Hello h = link.hello();
            Link.Hello other = new Link.Hello(h.peer(), UUID.randomUUID(), h.worker(), h.key(), h.cipherKey());
            new Link(transports.get(link), other).send(messages(squares(8, List.of(1))));
            assertThat(ended(lane, 1, link).how()).isEqualTo(ClusterWire.LINK_ENDED);
            SocketTransport replacement = arrivedTransport();
            Driver.Peer p = peer();
            Driver.Peer otherSession = new Driver.Peer(p.member(), p.address(), p.pid(), p.slots(), new byte[32], null,
                    p.epoch(), null, p.links());
            assertThatThrownBy(() -> Link.readHello(replacement, m -> otherSession)).isInstanceOf(IOException.class)
                    .hasMessageContaining("not signed with its worker's key"); // a worker of another session
            replacement.close(); // so that worker ends too
            Link.Hello again = Link.readHello(linkTo(), m -> m.equals(self) ? p : null); // its replacement, as itself
            assertThat(again.worker().worker()).isNotEqualTo(h.worker().worker());
        }
    }

    /** The end files of workers in this JVM's runtime directory (which the member's workers share). */
    private static List<java.nio.file.Path> endFiles() throws IOException {
        try (java.util.stream.Stream<java.nio.file.Path> files =
                     java.nio.file.Files.list(org.multiprocessing4j.internal.runtime.RuntimeDir.get())) {
            return files.filter(f -> f.getFileName().toString().endsWith(".end")).toList();
        }
    }

    /** The transport of the next worker that connects, its hello not read. */
    private SocketTransport linkTo() throws Exception {
        SocketTransport t = arrivedTransport();
        transportsToClose.add(t);
        return t;
    }

    private SocketTransport arrivedTransport() throws Exception {
        SocketTransport t = arrived.poll(LONG.toSeconds(), TimeUnit.SECONDS);
        assertThat(t).isNotNull();
        return t;
    }

    @Test
    void aPoolWhoseWorkersCannotGetReadyIsBrokenAndItsWatchSaysWhy() throws Exception {
        byte[] key = session(1);
        SerializableRunnable failing = () -> {
            throw new IllegalStateException("no database here");
        };
        member.handle(sealed(key, ClusterWire.OPEN, open(1, 0, Serialization.toBytes(failing, "initializer"),
                linkServer.address())));
        try (LaneServer server = LaneServer.start("127.0.0.1", KEY, member); Lane lane = lane(server)) {
            byte[] watched = lane.call(sealed(key, ClusterWire.WATCH, ClusterWire.pool(1))).get(120, TimeUnit.SECONDS);
            Envelope e = Envelope.open(watched, key);
            assertThat(e.kind()).isEqualTo(ClusterWire.BROKEN);
            assertThat(ClusterWire.readBroken(e.body())).contains("cannot start", "in a row", "no database here");
            assertThat(arrived).as("no worker connected").isEmpty();
            Await.until(Duration.ofSeconds(30), () -> workerPids(key, 1).isEmpty(), "no worker replaced any more");
        }
    }

    @Test
    void aWorkerEndsAfterItsMostTasksAndAnotherTakesItsPlace() throws Exception {
        byte[] key = session(1);
        member.handle(sealed(key, ClusterWire.OPEN, open(1, 2, new byte[0], linkServer.address())));
        Link first = nextLink();
        assertThat(run(first, squares(1, List.of(1))).results).containsExactly(1);
        assertThat(run(first, squares(2, List.of(2))).results).containsExactly(4);
        Link second = nextLink();
        assertThat(second.hello().worker().pid()).isNotEqualTo(first.hello().worker().pid());
        assertThat(run(second, squares(3, List.of(3))).results).containsExactly(9);
    }

    @Test
    void aControlMessageWhoseAnswersWereLostIsSentAgainSealedAnewAndTheMemberTakesItAsDone() throws Exception {
        byte[] key = session(1);
        List<byte[]> sent = new ArrayList<>();
        AtomicInteger toLose = new AtomicInteger();
        // the message reaches the member, but its call fails on the way back, as when the member that routed it left
        Function<byte[], CompletableFuture<byte[]>> send = sealed -> {
            sent.add(sealed);
            byte[] answer = member.handle(sealed);
            return toLose.getAndDecrement() > 0
                    ? CompletableFuture.failedFuture(new CompletionException(new TargetDisconnectedException("closed")))
                    : CompletableFuture.completedFuture(answer);
        };
        Executor soon = CompletableFuture.delayedExecutor(1, TimeUnit.MILLISECONDS);
        toLose.set(2);
        byte[] opened = ControlCall.call(send, () -> sealed(key, ClusterWire.OPEN, open(1)), () -> true, soon, 5)
                .get(30, TimeUnit.SECONDS);
        assertThat(Envelope.open(opened, key).kind()).isEqualTo(ClusterWire.OK); // an OPEN of a pool it has
        assertThat(sent).hasSize(3);
        assertThat(refusal(member.handle(sent.get(0)))).contains("taken before"); // why each attempt is sealed anew

        sent.clear();
        toLose.set(1);
        byte[] stopped = ControlCall.call(send, () -> sealed(key, ClusterWire.STOP,
                ClusterWire.stop(new ClusterWire.Stop(1, true))), () -> true, soon, 5).get(30, TimeUnit.SECONDS);
        assertThat(Envelope.open(stopped, key).kind()).isEqualTo(ClusterWire.OK); // a STOP of a pool it stopped
        assertThat(sent).hasSize(2);
        assertThat(refusal(member.handle(sealed(key, ClusterWire.OPEN, open(1))))).contains("was stopped");
    }

    @Test
    void aNewSessionOfTheDriverEndsTheOldAndAByeEndsItsPools() throws Exception {
        byte[] old = session(1);
        member.handle(sealed(old, ClusterWire.OPEN, open(1)));
        Link oldWorker = nextLink();
        long oldPid = oldWorker.hello().worker().pid();
        byte[] key = session(2);
        assertThat(refusal(member.handle(sealed(old, ClusterWire.PIDS, ClusterWire.pool(1))))).contains("signature");
        Await.until(Duration.ofSeconds(30), () -> !Procs.isRunning(oldPid), "the old session's worker killed");
        assertThat(workerPids(key, 1)).isEmpty();
        member.handle(sealed(key, ClusterWire.OPEN, open(2)));
        long pid = nextLink().hello().worker().pid();
        assertThat(Envelope.open(member.handle(sealed(key, ClusterWire.BYE, new byte[0])), key).kind())
                .isEqualTo(ClusterWire.OK);
        assertThat(Procs.isRunning(pid)).isFalse();
        assertThat(refusal(member.handle(sealed(key, ClusterWire.OPEN, open(3))))).contains("no session");
    }

    @Test
    void aReportThatTheDriverLeftEndsItsSessionUnlessTheDriverIsConnectedAgain() throws Exception {
        byte[] key = session(1);
        member.clientGone(driver, () -> true); // an old report: the driver is back, maybe greeting anew
        assertThat(Envelope.open(member.handle(sealed(key, ClusterWire.PIDS, ClusterWire.pool(2))), key).kind())
                .isEqualTo(ClusterWire.PIDLIST);
        member.clientGone(driver, () -> false);
        assertThat(refusal(member.handle(sealed(key, ClusterWire.PIDS, ClusterWire.pool(3))))).contains("no session");
    }

    @Test
    void aSessionThatEndsWithoutItsLaneClosesTheLaneSoThatItsDriverKnows() throws Exception {
        byte[] key = session(1);
        CompletableFuture<Lane> ended = new CompletableFuture<>();
        try (LaneServer server = LaneServer.start("127.0.0.1", KEY, member);
             Lane lane = Lane.open(server.address(), KEY, "a test member", ended::complete)) {
            byte[] attached = lane.call(sealed(key, ClusterWire.LANE, new byte[0])).get(30, TimeUnit.SECONDS);
            assertThat(Envelope.open(attached, key).kind()).isEqualTo(ClusterWire.OK);
            member.clientGone(driver, () -> false); // Hazelcast saw the driver leave this member
            assertThat(ended.get(30, TimeUnit.SECONDS)).isSameAs(lane);
        }
    }

    @Test
    void aLaneForASessionThatHasEndedIsRefusedAndClosed() throws Exception {
        byte[] key = session(1);
        member.clientGone(driver, () -> false); // the session ends before its LANE comes
        CompletableFuture<Lane> ended = new CompletableFuture<>();
        try (LaneServer server = LaneServer.start("127.0.0.1", KEY, member);
             Lane lane = Lane.open(server.address(), KEY, "a test member", ended::complete)) {
            byte[] refused = lane.call(sealed(key, ClusterWire.LANE, new byte[0])).get(30, TimeUnit.SECONDS);
            assertThat(refusal(refused)).contains("no session");
            assertThat(ended.get(30, TimeUnit.SECONDS)).isSameAs(lane);
        }
    }

    @Test
    void aMemberThatIsLeavingTellsItsPoolsDriversAndWaitsForThemToStopThemThenRefusesHellos() throws Exception {
        byte[] key = session(1);
        member.handle(sealed(key, ClusterWire.OPEN, open(1)));
        try (LaneServer server = LaneServer.start("127.0.0.1", KEY, member); Lane lane = lane(server)) {
            CompletableFuture<byte[]> watch = lane.call(sealed(key, ClusterWire.WATCH, ClusterWire.pool(1)));
            Link link = nextLink();
            CompletableFuture<Void> drained = CompletableFuture.runAsync(() -> member.drain(LONG));
            assertThat(Envelope.open(watch.get(30, TimeUnit.SECONDS), key).kind()).isEqualTo(ClusterWire.LEAVING);
            assertThat(drained).as("it waits for the driver").isNotDone();
            assertThat(run(link, squares(9, List.of(7))).results).as("the work under way is done").containsExactly(49);
            link.send(List.<ByteBuffer[]>of(new ByteBuffer[] {ByteBuffer.wrap(RemoteWorkers.quitMessage())}));
            member.handle(sealed(key, ClusterWire.STOP, ClusterWire.stop(new ClusterWire.Stop(1, false))));
            drained.get(30, TimeUnit.SECONDS);
            assertThat(Procs.isRunning(link.hello().worker().pid())).isFalse();
            assertThat(refusal(member.handle(hello(KEY, 2, self, new byte[16])))).contains("is leaving");
        }
    }

    @Test
    void aLaneCarriesItsOwnMessagesAndNothingElse() throws Exception {
        session(1);
        for (byte kind : new byte[] {ClusterWire.LANE, ClusterWire.KILL, ClusterWire.END, ClusterWire.WATCH}) {
            assertThat(refusal(member.handle(sealed(sessionKey, kind, ClusterWire.worker(new ClusterWire.Worker(1, 1))))))
                    .as("%c through Hazelcast", (char) kind).contains("comes only on a lane");
        }
        try (LaneServer server = LaneServer.start("127.0.0.1", KEY, member); Lane lane = lane(server)) {
            byte[] openThere = lane.call(sealed(sessionKey, ClusterWire.OPEN, open(2))).get(30, TimeUnit.SECONDS);
            assertThat(refusal(openThere)).contains("only a LANE, a KILL, an END and a WATCH");
            byte[] watched = lane.call(sealed(sessionKey, ClusterWire.WATCH, ClusterWire.pool(5))).get(30, TimeUnit.SECONDS);
            assertThat(Envelope.open(watched, sessionKey).kind()).as("no such pool: nothing to wait for").isEqualTo(ClusterWire.OK);
        }
    }

    @Test
    void whenALaneThatNamedItsSessionEndsTheSessionEndsAndItsWorkersAreKilled() throws Exception {
        byte[] key = session(1);
        member.handle(sealed(key, ClusterWire.OPEN, open(1)));
        try (LaneServer server = LaneServer.start("127.0.0.1", KEY, member)) {
            Lane lane = lane(server);
            CompletableFuture<byte[]> watching = lane.call(sealed(key, ClusterWire.WATCH, ClusterWire.pool(1)));
            long worker = nextLink().hello().worker().pid();

            lane.close(); // as when the driver is killed: its kernel closes the connection
            assertThat(watching).failsWithin(Duration.ofSeconds(30));
            Await.until(Duration.ofSeconds(30), () -> !Procs.isRunning(worker), "the worker " + worker + " killed");
            assertThat(refusal(member.handle(sealed(key, ClusterWire.OPEN, open(2))))).contains("no session");
        }
    }

    /** Waits until the member's threads of lane connections have ended: the sessions of their lanes too. */
    private static void awaitLaneThreadsEnded() {
        Await.until(Duration.ofSeconds(30), () -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(th -> th.getName().equals("mp4j-cluster-lane")), "the member's end of the lane");
    }

    @Test
    void theEndOfAnOldSessionsLaneLeavesTheDriversNewSessionAlone() throws Exception {
        byte[] old = session(1);
        try (LaneServer server = LaneServer.start("127.0.0.1", KEY, member)) {
            Lane lane = lane(server);
            byte[] key = session(2);
            lane.close();
            awaitLaneThreadsEnded(); // the member's thread for that connection ends after it has ended its sessions
            assertThat(old).isNotEqualTo(key);
            assertThat(Envelope.open(member.handle(sealed(key, ClusterWire.OPEN, open(1))), key).kind())
                    .isEqualTo(ClusterWire.OK);
        }
    }

    @Test
    void theCallsOfALaneThatEndsFailAsClosedAndSoDoThoseAfter() throws Exception {
        byte[] key = session(1);
        member.handle(sealed(key, ClusterWire.OPEN, open(1)));
        LaneServer server = LaneServer.start("127.0.0.1", KEY, member);
        AtomicInteger ends = new AtomicInteger();
        try (Lane lane = Lane.open(server.address(), KEY, "a test member", l -> ends.incrementAndGet())) {
            CompletableFuture<byte[]> waiting = lane.call(sealed(key, ClusterWire.WATCH, ClusterWire.pool(1)));
            server.close(); // as when the member dies: its connections end
            assertThatThrownBy(() -> waiting.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(Lane.Closed.class);
            assertThatThrownBy(() -> lane.call(sealed(key, ClusterWire.WATCH, ClusterWire.pool(1))).get(30, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(Lane.Closed.class);
            assertThat(ends).hasValue(1);
        } finally {
            server.close();
        }
        assertThat(ends).hasValue(1); // closing it after it ended is no second end
    }

    @Test
    void aLaneOpenedWithAnotherKeyIsRefusedInTheHandshake() {
        try (LaneServer server = LaneServer.start("127.0.0.1", KEY, member)) {
            assertThatThrownBy(() -> Lane.open(server.address(), "another".getBytes(StandardCharsets.UTF_8), "a test member",
                    l -> { }))
                    .isInstanceOfSatisfying(Dial.Failed.class, f -> assertThat(f.reason()).isEqualTo(Dial.Reason.REFUSED_KEY));
        }
    }
}
