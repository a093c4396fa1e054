package org.multiprocessing4j.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.spi.exception.TargetDisconnectedException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.TaskFunction;
import org.multiprocessing4j.internal.codec.Serialization;
import org.multiprocessing4j.internal.pool.Engine;
import org.multiprocessing4j.internal.pool.Relay;
import org.multiprocessing4j.internal.pool.Task;
import org.multiprocessing4j.internal.runtime.StartMethod;
import org.multiprocessing4j.internal.wire.Dial;
import org.multiprocessing4j.internal.wire.FrameLayout;
import org.multiprocessing4j.internal.wire.SocketTransport;
import org.multiprocessing4j.testing.Await;
import org.multiprocessing4j.testing.Procs;

/**
 * A member's service, spoken to as a driver speaks to it, envelope by envelope (without Hazelcast
 * between, and on a real {@link Lane} where tasks travel): what it takes, what it refuses, and that it
 * takes each message once. Its pools are real worker JVMs.
 */
class MemberServiceTest {
    private static final byte[] KEY = "the key".getBytes(StandardCharsets.UTF_8);
    private final UUID self = UUID.randomUUID();
    private final UUID driver = UUID.randomUUID();
    private MemberService member;
    private long seq;

    @BeforeEach
    void start() {
        member = new MemberService(KEY, "127.0.0.1:1", 1, StartMethod.SPAWN);
        member.started(self, "127.0.0.1:2");
    }

    @AfterEach
    void stop() {
        member.end(driver);
        // a session whose lane ended ends on the lane's thread, until its pools' sockets are closed: the leak
        // check after the test must not come first
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
        return Envelope.sessionKey(KEY, nonce, w.memberNonce());
    }

    private byte[] sealed(byte[] key, byte kind, byte[] body) {
        return new Envelope(kind, driver, ++seq, body).seal(key);
    }

    private static String refusal(byte[] reply) throws Exception {
        assertThat(Envelope.kindOf(reply)).isEqualTo(ClusterWire.REFUSED);
        return Envelope.openRefusal(reply).reason();
    }

    private static byte[] open(int pool) {
        return ClusterWire.open(new ClusterWire.Open(pool, 1, 0, 0, 0, new byte[0]));
    }

    private static Task chunk(long id, Outcome outcome, List<Integer> args) {
        TaskFunction<Integer, Integer> square = x -> x * x;
        return Task.ofChunk(id, outcome, 0, 1, Serialization.toBytes(square, "fn"), args, 0);
    }

    private static byte[] run(int pool, Task t) {
        return ClusterWire.run(new ClusterWire.Run(pool, t.id(), t.fnId(), t.fnBytes(), 0, ByteBuffer.wrap(t.message())));
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
    void aChunkRunsOnAWorkerAndEachMessageIsTakenOnce() throws Exception {
        byte[] key = session(1);
        byte[] openPool = sealed(key, ClusterWire.OPEN, open(1));
        assertThat(Envelope.open(member.handle(openPool), key).kind()).isEqualTo(ClusterWire.OK);
        assertThat(refusal(member.handle(openPool))).contains("taken before");

        Outcome outcome = new Outcome();
        Task t = chunk(77, outcome, List.of(2, 3));
        byte[] runIt = sealed(key, ClusterWire.RUN, run(1, t));
        Envelope answer = Envelope.open(member.handle(runIt), key);
        assertThat(answer.kind()).isEqualTo(ClusterWire.ANSWER);
        assertThat(answer.seq()).isEqualTo(seq);
        ClusterWire.Answer a = ClusterWire.readAnswer(answer.body());
        assertThat(a.task()).isEqualTo(77);
        Relay.read(a.message()).deliver(t);
        assertThat(outcome.results).containsExactly(4, 9);
        assertThat(refusal(member.handle(runIt))).contains("taken before");

        byte[] tampered = sealed(key, ClusterWire.RUN, run(1, chunk(78, new Outcome(), List.of(1))));
        tampered[tampered.length - 1] ^= 1;
        assertThat(refusal(member.handle(tampered))).contains("signature");
        assertThat(refusal(member.handle(sealed(KEY, ClusterWire.RUN, run(1, chunk(79, new Outcome(), List.of(1)))))))
                .contains("signature"); // the authkey is not the session's key
    }

    @Test
    void aCancelBeforeItsRunMakesTheRunAnswerCancelledWithoutRunningIt() throws Exception {
        byte[] key = session(1);
        member.handle(sealed(key, ClusterWire.OPEN, open(1)));
        member.handle(sealed(key, ClusterWire.CANCEL, ClusterWire.cancel(new ClusterWire.Cancel(1, 5, true))));
        assertThat(runChunk(key, 5, List.of(1)).error).isInstanceOf(CancellationException.class);
    }

    /** Runs chunk {@code id} of {@code args} in pool 1, by a RUN of the session of {@code key}; its outcome. */
    private Outcome runChunk(byte[] key, long id, List<Integer> args) throws Exception {
        Outcome outcome = new Outcome();
        Task t = chunk(id, outcome, args);
        Envelope answer = Envelope.open(member.handle(sealed(key, ClusterWire.RUN, run(1, t))), key);
        Relay.read(ClusterWire.readAnswer(answer.body()).message()).deliver(t);
        return outcome;
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
    void aCancelWhoseRunNeverComesIsNotKeptForEver() throws Exception {
        member = new MemberService(KEY, "127.0.0.1:1", 1, StartMethod.SPAWN, Duration.ZERO); // kept for no time
        member.started(self, "127.0.0.1:2");
        byte[] key = session(1);
        member.handle(sealed(key, ClusterWire.OPEN, open(1)));
        member.handle(sealed(key, ClusterWire.CANCEL, ClusterWire.cancel(new ClusterWire.Cancel(1, 5, true))));
        // the next CANCEL drops the first, as one whose task had answered before it came
        member.handle(sealed(key, ClusterWire.CANCEL, ClusterWire.cancel(new ClusterWire.Cancel(1, 6, true))));
        Outcome five = runChunk(key, 5, List.of(3));
        assertThat(five.error).isNull();
        assertThat(five.results).containsExactly(9);
        assertThat(runChunk(key, 6, List.of(3)).error).isInstanceOf(CancellationException.class); // kept for its RUN
    }

    @Test
    void aNewSessionOfTheDriverEndsTheOldAndAByeEndsItsPools() throws Exception {
        byte[] old = session(1);
        member.handle(sealed(old, ClusterWire.OPEN, open(1)));
        byte[] key = session(2);
        assertThat(refusal(member.handle(sealed(old, ClusterWire.RUN, run(1, chunk(1, new Outcome(), List.of(1)))))))
                .contains("signature");
        assertThat(refusal(member.handle(sealed(key, ClusterWire.RUN, run(1, chunk(1, new Outcome(), List.of(1)))))))
                .contains("no pool 1");
        member.handle(sealed(key, ClusterWire.OPEN, open(2)));
        assertThat(Envelope.open(member.handle(sealed(key, ClusterWire.BYE, new byte[0])), key).kind())
                .isEqualTo(ClusterWire.OK);
        assertThat(refusal(member.handle(sealed(key, ClusterWire.OPEN, open(3))))).contains("no session");
    }

    @Test
    void aReportThatTheDriverLeftEndsItsSessionUnlessTheDriverIsConnectedAgain() throws Exception {
        byte[] key = session(1);
        member.handle(sealed(key, ClusterWire.OPEN, open(1)));
        member.clientGone(driver, () -> true); // an old report: the driver is back, maybe greeting anew
        assertThat(Envelope.open(member.handle(sealed(key, ClusterWire.OPEN, open(2))), key).kind())
                .isEqualTo(ClusterWire.OK);
        member.clientGone(driver, () -> false);
        assertThat(refusal(member.handle(sealed(key, ClusterWire.OPEN, open(3))))).contains("no session");
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
    void aMemberThatIsLeavingRefusesADriversHello() throws Exception {
        member.drain(Duration.ZERO);
        assertThat(refusal(member.handle(hello(KEY, 1, self, new byte[16])))).contains("is leaving");
    }

    @Test
    void aLaneCarriesRunsAndTheirAnswersAndNothingElse() throws Exception {
        byte[] key = session(1);
        member.handle(sealed(key, ClusterWire.OPEN, open(1)));
        try (LaneServer server = LaneServer.start("127.0.0.1", KEY, member);
             Lane lane = Lane.open(server.address(), KEY, "a test member", l -> { })) {
            Outcome outcome = new Outcome();
            Task t = chunk(80, outcome, List.of(5, 6));
            Envelope answer = Envelope.open(lane.call(sealed(key, ClusterWire.RUN, run(1, t))).get(30, TimeUnit.SECONDS), key);
            assertThat(answer.kind()).isEqualTo(ClusterWire.ANSWER);
            Relay.read(ClusterWire.readAnswer(answer.body()).message()).deliver(t);
            assertThat(outcome.results).containsExactly(25, 36);

            byte[] openThere = lane.call(sealed(key, ClusterWire.OPEN, open(2))).get(30, TimeUnit.SECONDS);
            assertThat(refusal(openThere)).contains("only a LANE and tasks");
        }
    }

    @Test
    void runsThatComeInOneWriteAreEachAnsweredWithTheirOwnResults() throws Exception {
        byte[] key = session(1);
        member.handle(sealed(key, ClusterWire.OPEN, open(1)));
        try (LaneServer server = LaneServer.start("127.0.0.1", KEY, member);
             Lane lane = Lane.open(server.address(), KEY, "a test member", l -> { })) {
            List<Task> tasks = new ArrayList<>();
            List<Outcome> outcomes = new ArrayList<>();
            List<byte[]> runs = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                Outcome o = new Outcome();
                Task t = chunk(90 + i, o, List.of(i, 10 + i));
                tasks.add(t);
                outcomes.add(o);
                runs.add(sealed(key, ClusterWire.RUN, run(1, t)));
            }
            List<CompletableFuture<byte[]>> answers = lane.call(runs); // one write: the member takes them together
            for (int i = 0; i < 4; i++) {
                Envelope a = Envelope.open(answers.get(i).get(60, TimeUnit.SECONDS), key);
                ClusterWire.Answer answer = ClusterWire.readAnswer(a.body());
                assertThat(answer.task()).isEqualTo(tasks.get(i).id());
                Relay.read(answer.message()).deliver(tasks.get(i));
                assertThat(outcomes.get(i).results).containsExactly(i * i, (10 + i) * (10 + i));
            }
        }
    }

    @Test
    void runsTakenInBeforeAFrameThatIsNoLanesAreAnsweredAtOnceNotRun() throws Exception {
        byte[] key = session(1);
        member.handle(sealed(key, ClusterWire.OPEN, open(1)));
        try (LaneServer server = LaneServer.start("127.0.0.1", KEY, member)) {
            SocketTransport raw = Dial.open(server.address(), KEY);
            try {
                List<Task> tasks = List.of(chunk(95, new Outcome(), List.of(1)), chunk(96, new Outcome(), List.of(2)));
                List<java.nio.ByteBuffer> frames = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    frames.addAll(List.of(Lane.frame(i + 1, sealed(key, ClusterWire.RUN, run(1, tasks.get(i))))));
                }
                // too short for a lane's frame: the member ends the connection
                frames.add(FrameLayout.header(FrameLayout.RAW, 3));
                frames.add(java.nio.ByteBuffer.wrap(new byte[3]));
                raw.sendFrames(frames.toArray(java.nio.ByteBuffer[]::new)); // one write: the RUNs wait for the next frame
                for (int i = 0; i < 2; i++) {
                    Lane.Frame f = Lane.read(raw);
                    assertThat(f.call()).isEqualTo(i + 1L);
                    Envelope e = Envelope.open(f.envelope(), key);
                    assertThat(e.kind()).isEqualTo(ClusterWire.ANSWER);
                    Task t = tasks.get(i);
                    Relay.read(ClusterWire.readAnswer(e.body()).message()).deliver(t);
                    assertThat(((Outcome) t.job()).error).hasMessageContaining("before the task was handed to a worker");
                }
                assertThatThrownBy(() -> Lane.read(raw)).isInstanceOf(java.io.IOException.class); // then the member closed it
                Await.until(Duration.ofSeconds(30), () -> member.running() == 0, "no RUN left running");
            } finally {
                raw.close();
            }
        }
    }

    @Test
    void answersSentWhileAWorkersReadIsTakenGoOutTogetherAtItsEnd() throws Exception {
        try (ServerSocketChannel listening = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
             SocketChannel a = SocketChannel.open(listening.getLocalAddress());
             SocketChannel b = listening.accept()) {
            SocketTransport memberSide = new SocketTransport(a);
            SocketTransport driverSide = new SocketTransport(b);
            try {
                LaneServer.ANSWERS_OF_A_READ.begin();
                try {
                    LaneServer.send(member, memberSide, 1, new byte[] {11});
                    LaneServer.send(member, memberSide, 2, new byte[] {12});
                    assertThat(driverSide.readyWithoutWaiting()).as("held until the read's end").isFalse();
                    assertThat(member.heldAnswers()).as("counted held, for the member's drain").isEqualTo(2);
                } finally {
                    LaneServer.ANSWERS_OF_A_READ.end();
                }
                Lane.Frame first = Lane.read(driverSide);
                Lane.Frame second = Lane.read(driverSide);
                assertThat(List.of(first.call(), second.call())).containsExactly(1L, 2L);
                assertThat(first.envelope()).containsExactly(11);
                assertThat(second.envelope()).containsExactly(12);
                assertThat(member.heldAnswers()).as("nothing held any more").isZero();

                LaneServer.send(member, memberSide, 3, new byte[] {13}); // outside a read of a worker: at once
                assertThat(Lane.read(driverSide).call()).isEqualTo(3L);
                assertThat(member.heldAnswers()).isZero();
            } finally {
                memberSide.close();
                driverSide.close();
            }
        }
    }

    private List<Long> workerPids(byte[] key, int pool) {
        Envelope e = Envelope.open(member.handle(sealed(key, ClusterWire.PIDS, ClusterWire.pool(pool))), key);
        try {
            return ClusterWire.readPidList(e.body());
        } catch (java.io.IOException corrupt) {
            throw new AssertionError(corrupt);
        }
    }

    @Test
    void whenALaneThatNamedItsSessionEndsTheSessionEndsAndItsRunningWorkerIsKilled() throws Exception {
        byte[] key = session(1);
        member.handle(sealed(key, ClusterWire.OPEN, open(1)));
        assertThat(refusal(member.handle(sealed(key, ClusterWire.LANE, new byte[0])))).contains("comes only on a lane");
        TaskFunction<Integer, Integer> slow = x -> {
            LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(120));
            return x;
        };
        Task t = Task.ofChunk(82, new Outcome(), 0, 2, Serialization.toBytes(slow, "fn"), List.of(1), 0);
        try (LaneServer server = LaneServer.start("127.0.0.1", KEY, member)) {
            Lane lane = Lane.open(server.address(), KEY, "a test member", l -> { });
            byte[] attached = lane.call(sealed(key, ClusterWire.LANE, new byte[0])).get(30, TimeUnit.SECONDS);
            assertThat(Envelope.open(attached, key).kind()).isEqualTo(ClusterWire.OK);
            CompletableFuture<byte[]> running = lane.call(sealed(key, ClusterWire.RUN, run(1, t)));
            Await.until(Duration.ofSeconds(60), () -> workerPids(key, 1).size() == 1, "the task's worker");
            long worker = workerPids(key, 1).get(0);

            lane.close(); // as when the driver is killed: its kernel closes the connection
            assertThat(running).failsWithin(Duration.ofSeconds(30));
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
            Lane lane = Lane.open(server.address(), KEY, "a test member", l -> { });
            byte[] attached = lane.call(sealed(old, ClusterWire.LANE, new byte[0])).get(30, TimeUnit.SECONDS);
            assertThat(Envelope.open(attached, old).kind()).isEqualTo(ClusterWire.OK);
            byte[] key = session(2);
            lane.close();
            awaitLaneThreadsEnded(); // the member's thread for that connection ends after it has ended its sessions
            assertThat(Envelope.open(member.handle(sealed(key, ClusterWire.OPEN, open(1))), key).kind())
                    .isEqualTo(ClusterWire.OK);
        }
    }

    @Test
    void theCallsOfALaneThatEndsFailAsClosedAndSoDoThoseAfter() throws Exception {
        byte[] key = session(1);
        member.handle(sealed(key, ClusterWire.OPEN, open(1)));
        TaskFunction<Integer, Integer> slow = x -> {
            LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(60));
            return x;
        };
        Task t = Task.ofChunk(81, new Outcome(), 0, 2, Serialization.toBytes(slow, "fn"), List.of(1), 0);
        LaneServer server = LaneServer.start("127.0.0.1", KEY, member);
        AtomicInteger ends = new AtomicInteger();
        try (Lane lane = Lane.open(server.address(), KEY, "a test member", l -> ends.incrementAndGet())) {
            CompletableFuture<byte[]> running = lane.call(sealed(key, ClusterWire.RUN, run(1, t)));
            server.close(); // as when the member dies: its connections end
            assertThatThrownBy(() -> running.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(Lane.Closed.class);
            assertThatThrownBy(() -> lane.call(sealed(key, ClusterWire.RUN, run(1, t))).get(30, TimeUnit.SECONDS))
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
