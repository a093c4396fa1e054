package org.multiprocessing4j.cluster.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.multiprocessing4j.AuthenticationError;
import org.multiprocessing4j.internal.pool.Engine;
import org.multiprocessing4j.internal.pool.PoolEngine;
import org.multiprocessing4j.internal.pool.Relay;
import org.multiprocessing4j.internal.pool.Task;
import org.multiprocessing4j.internal.runtime.StartMethod;

/**
 * A member's side of the cluster: it answers the envelopes that reach it (see {@link ClusterWire}).
 * Each driver has a session, opened by a {@code HELLO} signed with the authkey for this member and a new
 * epoch; each pool a driver opens here is a local pool of worker JVMs ({@link PoolEngine}) that runs the
 * driver's tasks as they came ({@link PoolEngine#relayTask}): nothing of the driver's, neither function nor
 * argument nor result, is deserialized in the member. A task's deadline, a worker's death and its
 * replacement are the local pool's, as on one machine. Each message of a session is taken once
 * ({@link ReplayWindow}).
 *
 * <p>A {@code RUN} or a {@code STOP} holds its executor thread until the task's answer comes, or the pool's
 * workers have ended. When a driver goes (its {@code BYE}, a newer session of it, the end of its lane's
 * connection, or Hazelcast noticing it gone), its session ends: first its lane connection is closed, so
 * that a driver still there (one that Hazelcast saw leave this member only for a while) knows its session
 * here is over, runs the session's tasks elsewhere and greets this member again; then its pools are
 * terminated and their workers killed. A LANE that comes for a session that has ended is refused, and its
 * connection closed. When the member leaves ({@link #drain}), it refuses new HELLOs, takes no new task,
 * lets the running ones finish, then ends every session.
 */
public final class MemberService {
    /** Where Hazelcast's user context holds the service, for {@link Parcel#call()}. */
    public static final String CONTEXT_KEY = "org.multiprocessing4j.cluster.member";
    private static final System.Logger LOG = System.getLogger("org.multiprocessing4j.cluster");
    /** How long the end of a session waits for its killed workers to be gone. */
    private static final Duration END_WAIT = Duration.ofSeconds(10);
    /**
     * How long a CANCEL whose RUN has not come is kept for it. A CANCEL may overtake its RUN (it goes
     * through Hazelcast, the RUN on its lane, written just after its task is counted in flight), but not by
     * a minute unless the lane is stuck; one kept that long came for a task that had answered already (its
     * answer and the CANCEL crossed), and would wait for ever. Should a RUN come after all, its task runs,
     * and its driver drops the answer.
     */
    static final Duration CANCEL_KEPT = Duration.ofMinutes(1);

    private final byte[] authkey;
    private final String address;
    private final int slots;
    private final StartMethod startMethod;
    private final long cancelKeptNanos;
    private final SecureRandom random = new SecureRandom();
    private final CountDownLatch started = new CountDownLatch(1);
    private volatile UUID self;                                    // this member's Hazelcast UUID, once started
    private volatile String lanes;                                 // where drivers open their Lanes, once started
    private final Map<UUID, Session> sessions = new ConcurrentHashMap<>();
    private final Map<UUID, Long> epochs = new HashMap<>();        // guarded by itself: each driver's newest epoch
    private final Object runningLock = new Object();
    private int running;                                           // guarded by runningLock: RUNs in progress
    private int held;                                              // guarded by runningLock: their answers held back, unwritten
    private volatile boolean leaving;

    /** A driver's pools here, and the tasks of theirs that run. Fields guarded by the session itself. */
    private static final class Session {
        final byte[] key;
        final byte[] cipherKey; // null: bodies in the clear
        final ReplayWindow window = new ReplayWindow();
        final Map<Integer, PoolEngine> pools = new HashMap<>();
        final Set<Integer> stopped = new HashSet<>();        // pools stopped: never opened again
        final Map<Key, Running> running = new HashMap<>();
        final Map<Key, Long> cancelled = new LinkedHashMap<>(); // cancelled before their RUN came, and when (ns), oldest first
        LaneSessions lane;                                   // the lane its LANE came on, once it came
        boolean ended;

        Session(byte[] key, byte[] cipherKey) {
            this.key = key;
            this.cipherKey = cipherKey;
        }
    }

    private record Key(int pool, long task) {
    }

    /** A task relayed to a worker: its answer, when it comes, completes the RUN that waits for it. */
    private record Running(Task task, PoolEngine engine, RelayJob job) {
    }

    /** Takes the worker's answer as it is (the driver reads it), or this member's reason it has none. */
    private static final class RelayJob implements Engine.Job {
        final CompletableFuture<byte[]> answer = new CompletableFuture<>();
        volatile boolean local; // the answer is this member's (timeout, worker lost, stopped), not the worker's

        @Override
        public void received(Task task, byte[] message) {
            answer.complete(message);
        }

        @Override
        public void done(Task task, List<Object> results) {
            failed(task, new IllegalStateException("a relayed task's results were decoded"));
        }

        @Override
        public void failed(Task task, Throwable error) {
            local = true;
            answer.complete(Relay.errorMessage(error));
        }
    }

    /**
     * @param address this member's {@code HOST:PORT}, as drivers are told it
     * @param slots the worker JVMs this member gives each pool, at most
     * @param startMethod how the pools' workers are started
     */
    public MemberService(byte[] authkey, String address, int slots, StartMethod startMethod) {
        this(authkey, address, slots, startMethod, CANCEL_KEPT);
    }

    /** As above; a CANCEL whose RUN has not come is kept for {@code cancelKept} ({@link #CANCEL_KEPT}). */
    MemberService(byte[] authkey, String address, int slots, StartMethod startMethod, Duration cancelKept) {
        this.authkey = authkey.clone();
        this.address = address;
        this.slots = slots;
        this.startMethod = startMethod;
        this.cancelKeptNanos = cancelKept.toNanos();
    }

    /**
     * The member is in the cluster as {@code self}, and serves drivers' {@link Lane}s at {@code lanes}
     * ({@code HOST:PORT}): HELLOs for it are answered from now on.
     */
    public void started(UUID self, String lanes) {
        this.self = self;
        this.lanes = lanes;
        started.countDown();
    }

    /**
     * Answers one envelope, blocking while its task runs (Hazelcast's executor calls this): never throws,
     * a refusal says what was wrong. Interrupted, it kills the task and refuses it.
     */
    public byte[] handle(byte[] sealed) {
        CompletableFuture<byte[]> reply = respond(sealed);
        try {
            return reply.get();
        } catch (InterruptedException stopping) {
            reply.cancel(true);
            Thread.currentThread().interrupt();
            return refuse(null, "the member " + address + " is stopping");
        } catch (ExecutionException impossible) {
            return refuse(null, "the member " + address + " failed: " + impossible.getCause());
        }
    }

    /**
     * Answers one envelope: a RUN once its worker answers (on the thread that brings the answer), the
     * others at once, on this thread; never fails, a refusal says what was wrong. Cancelling a RUN's
     * answer kills its task.
     */
    public CompletableFuture<byte[]> respond(byte[] sealed) {
        return respond(sealed, null, null);
    }

    /**
     * The sessions whose LANE came on one of a member's lane connections: each ends when that connection
     * does ({@link #laneEnded}), unless a newer session of its driver replaced it meanwhile. Thread-safe.
     */
    static final class LaneSessions {
        private final Map<UUID, Session> attached = new HashMap<>();
        private final Runnable close;

        /** @param close closes the lane's connection (idempotent; its end then comes to {@link #laneEnded}) */
        LaneSessions(Runnable close) {
            this.close = close;
        }
    }

    /**
     * The RUNs a lane's reader took from the frames it had at hand, not handed to their pools yet: each
     * pool takes its share in one go ({@link #submit()}), so that a worker gets those of them dealt to it
     * in one write, and wakes once for them. Used by one thread.
     */
    static final class Relays {
        private final Map<PoolEngine, List<Relayed>> byPool = new LinkedHashMap<>();

        private record Relayed(Task task, RelayJob job) {
        }

        private void add(PoolEngine engine, Task task, RelayJob job) {
            byPool.computeIfAbsent(engine, x -> new ArrayList<>()).add(new Relayed(task, job));
        }

        /**
         * Hands the tasks to their pools; a pool that takes no more (stopped meanwhile, or broken) fails
         * its tasks, and so answers their RUNs.
         */
        void submit() {
            Map<PoolEngine, List<Relayed>> taken = new LinkedHashMap<>(byPool);
            byPool.clear(); // each task is handed over once, whatever happens
            taken.forEach(Relays::submit);
        }

        /**
         * Answers the RUNs with {@code why} instead (their lane ended before they were handed over: their
         * driver runs them elsewhere), so that none is left running.
         */
        void fail(String why) {
            List<Relayed> taken = byPool.values().stream().flatMap(List::stream).toList();
            byPool.clear();
            taken.forEach(r -> r.job().failed(r.task(), new IllegalStateException(why)));
        }

        private static void submit(PoolEngine engine, List<Relayed> relayed) {
            try {
                engine.submit(relayed.stream().map(Relayed::task).toList());
            } catch (RuntimeException stopped) { // the pool was stopped, or cannot start workers
                relayed.forEach(r -> r.job().failed(r.task(), stopped));
            }
        }
    }

    /**
     * As {@link #respond(byte[])}, for an envelope that came on a lane connection, whose LANE attaches
     * its session to {@code lane}, and whose RUN is handed to its pool with the others of {@code relays}.
     */
    CompletableFuture<byte[]> respond(byte[] sealed, LaneSessions lane, Relays relays) {
        try {
            if (Envelope.kindOf(sealed) == ClusterWire.HELLO) {
                return CompletableFuture.completedFuture(hello(sealed));
            }
            UUID id = Envelope.sessionOf(sealed);
            Session s = id == null ? null : sessions.get(id);
            if (s == null) {
                return refusal(id, "no session of this driver on " + address + " (it said no HELLO, or it ended)");
            }
            Envelope.Opened opened = Envelope.openInPlace(sealed, s.key); // a task's bytes stay where they came
            if (!s.window.take(opened.seq())) {
                LOG.log(System.Logger.Level.WARNING, "refused a message of a driver's session taken before: replayed");
                return refusal(id, "a message taken before");
            }
            opened = opened.decrypted(s.cipherKey);
            if (opened.kind() == ClusterWire.RUN) {
                return run(s, opened.header(), ClusterWire.readRun(opened.body()), relays);
            }
            Envelope e = opened.envelope();
            return CompletableFuture.completedFuture(switch (e.kind()) {
                case ClusterWire.LANE -> attach(s, e, lane);
                case ClusterWire.OPEN -> open(s, e, ClusterWire.readOpen(e.body()));
                case ClusterWire.CANCEL -> cancel(s, e, ClusterWire.readCancel(e.body()));
                case ClusterWire.STOP -> stop(s, e, ClusterWire.readStop(e.body()));
                case ClusterWire.PIDS -> pids(s, e, ClusterWire.readPool(e.body()));
                case ClusterWire.BYE -> {
                    end(e.session(), s);
                    yield reply(ClusterWire.OK, s, e, new byte[0]);
                }
                default -> refuse(e.session(), "unknown message " + e.kind());
            });
        } catch (AuthenticationError e) {
            LOG.log(System.Logger.Level.WARNING, "refused a message whose signature does not match: " + e.getMessage());
            return refusal(null, e.getMessage());
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "refused a corrupt message", e);
            return refusal(null, "a corrupt message: " + e);
        }
    }

    private byte[] hello(byte[] sealed) throws IOException {
        Envelope e;
        try {
            e = Envelope.open(sealed, authkey);
        } catch (AuthenticationError wrongKey) {
            LOG.log(System.Logger.Level.WARNING, "refused a peer whose authkey is not this member's");
            return Envelope.refusal(null, ClusterWire.WRONG_KEY, "the member " + address
                    + " refused the authkey: it is not the cluster's").seal(null);
        }
        ClusterWire.Hello h = ClusterWire.readHello(e.body());
        try {
            if (!started.await(30, TimeUnit.SECONDS)) {
                return refuse(e.session(), "the member " + address + " is not started yet");
            }
        } catch (InterruptedException stopped) {
            Thread.currentThread().interrupt();
            return refuse(e.session(), "the member " + address + " is stopping");
        }
        if (!h.target().equals(self)) {
            return refuse(e.session(), "a HELLO meant for another member");
        }
        byte[] nonce = new byte[ClusterWire.NONCE_BYTES];
        random.nextBytes(nonce);
        if (h.encrypts() != BodyCipher.enabled()) {
            return refuse(e.session(), "the member " + address + (BodyCipher.enabled() ? " encrypts" : " does not encrypt")
                    + " its sessions (system property multiprocessing4j.cluster.encrypt), and the peer "
                    + (h.encrypts() ? "does" : "does not"));
        }
        if (h.role() == ClusterWire.DRIVER) {
            if (leaving) {
                return refuse(e.session(), "the member " + address + " is leaving");
            }
            Session old;
            synchronized (epochs) {
                Long newest = epochs.get(e.session());
                if (newest != null && h.epoch() <= newest) {
                    return refuse(e.session(), "a HELLO of a session begun before (replayed, or late)");
                }
                epochs.put(e.session(), h.epoch());
                old = sessions.put(e.session(), new Session(Envelope.sessionKey(authkey, h.nonce(), nonce),
                        BodyCipher.enabled() ? BodyCipher.sessionKey(authkey, h.nonce(), nonce) : null));
            }
            if (old != null) {
                end(old); // the driver began anew (it lost its connection): its old session is over
            }
        }
        return new Envelope(ClusterWire.WELCOME, e.session(), 0, ClusterWire.welcome(new ClusterWire.Welcome(h.nonce(),
                nonce, address, lanes, ProcessHandle.current().pid(), slots, ClassPathDigest.own(), BodyCipher.enabled())))
                .seal(authkey);
    }

    /** Ties {@code s} to the lane its LANE came on: the end of that connection ends the session. */
    private byte[] attach(Session s, Envelope e, LaneSessions lane) {
        if (lane == null) {
            return refuse(e.session(), "a LANE comes only on a lane");
        }
        synchronized (lane) {
            lane.attached.put(e.session(), s);
        }
        boolean ended;
        synchronized (s) {
            s.lane = lane;
            ended = s.ended;
        }
        if (ended) { // it ended after its LANE was read: a refused LANE closes its lane (LaneServer)
            return refuse(e.session(), "the session ended");
        }
        return reply(ClusterWire.OK, s, e, new byte[0]);
    }

    /**
     * A lane connection ended (its driver died, or closed it, or this member closed it): the sessions
     * attached to it end, their workers killed, as when Hazelcast sees the driver gone, but at once and
     * whether or not the driver's Hazelcast client was connected to this member.
     */
    void laneEnded(LaneSessions lane) {
        Map<UUID, Session> ended;
        synchronized (lane) {
            ended = Map.copyOf(lane.attached); // a copy: the map is cleared next
            lane.attached.clear();
        }
        for (Map.Entry<UUID, Session> a : ended.entrySet()) {
            if (sessions.remove(a.getKey(), a.getValue())) {
                LOG.log(System.Logger.Level.DEBUG, "the lane of the driver " + a.getKey() + " ended: its session ends");
                try {
                    end(a.getValue());
                } catch (RuntimeException e) { // the other sessions of the lane end all the same
                    LOG.log(System.Logger.Level.WARNING, "ending the session of the driver " + a.getKey() + " failed", e);
                }
            }
        }
    }

    private byte[] open(Session s, Envelope e, ClusterWire.Open o) {
        synchronized (s) {
            if (s.ended || leaving) {
                return reply(ClusterWire.LEAVING, s, e, new byte[0]);
            }
            if (s.stopped.contains(o.pool())) {
                return refuse(e.session(), "the pool " + o.pool() + " was stopped on " + address);
            }
            s.pools.computeIfAbsent(o.pool(), p -> {
                PoolEngine engine = new PoolEngine(Math.max(1, Math.min(slots, o.slots())),
                        o.initializer().length == 0 ? null : Relay.initializer(o.initializer()), o.maxTasksPerChild(),
                        o.timeoutNanos() > 0 ? Duration.ofNanos(o.timeoutNanos()) : null, o.retries(), startMethod,
                        "ClusterPoolWorker");
                engine.bracketReads(LaneServer.ANSWERS_OF_A_READ);
                return engine;
            });
        }
        return reply(ClusterWire.OK, s, e, new byte[0]);
    }

    /** Relays a task to a worker of its pool; the answer is the worker's, or LEAVING if this member stopped it. */
    private CompletableFuture<byte[]> run(Session s, Envelope e, ClusterWire.Run r, Relays relays) {
        Key key = new Key(r.pool(), r.task());
        RelayJob job = new RelayJob();
        PoolEngine engine;
        Task t;
        synchronized (s) {
            if (s.ended || leaving) {
                return CompletableFuture.completedFuture(reply(ClusterWire.LEAVING, s, e, new byte[0]));
            }
            engine = s.pools.get(r.pool());
            if (engine == null) {
                return refusal(e.session(), "no pool " + r.pool() + " of this driver on " + address);
            }
            if (s.cancelled.remove(key) != null) {
                return CompletableFuture.completedFuture(answer(s, e, r.task(),
                        Relay.errorMessage(new CancellationException("the task was cancelled"))));
            }
            t = engine.relayTask(job, r.message(), r.fnId(), r.fn(), r.timeoutNanos());
            s.running.put(key, new Running(t, engine, job));
            synchronized (runningLock) {
                running++;
            }
        }
        CompletableFuture<byte[]> reply = new CompletableFuture<>();
        job.answer.thenAccept(answer -> {
            try {
                boolean stoppedHere;
                synchronized (s) {
                    stoppedHere = job.local && (s.ended || leaving); // the task runs elsewhere
                }
                // a lane sends the reply, or holds it to send (LaneServer.ANSWERS_OF_A_READ, counted in held),
                // before the task stops counting as running below: drain() relies on it
                reply.complete(stoppedHere ? reply(ClusterWire.LEAVING, s, e, new byte[0]) : answer(s, e, r.task(), answer));
            } finally {
                synchronized (s) {
                    s.running.remove(key);
                }
                synchronized (runningLock) {
                    running--;
                    runningLock.notifyAll();
                }
            }
        });
        reply.whenComplete((answer, error) -> {
            if (error instanceof CancellationException) {
                engine.cancel(List.of(t), true);
            }
        });
        if (relays != null) {
            relays.add(engine, t, job);
        } else {
            Relays.submit(engine, List.of(new Relays.Relayed(t, job)));
        }
        return reply;
    }

    private byte[] cancel(Session s, Envelope e, ClusterWire.Cancel c) {
        Key key = new Key(c.pool(), c.task());
        Running r;
        synchronized (s) {
            r = s.running.get(key);
            if (r == null) { // its RUN has not come yet: it is answered cancelled when it does
                long now = System.nanoTime();
                for (var i = s.cancelled.values().iterator(); i.hasNext() && now - i.next() > cancelKeptNanos; ) {
                    i.remove(); // its task had answered before (see CANCEL_KEPT)
                }
                s.cancelled.remove(key); // a CANCEL sent again: kept from now, in its place in the order
                s.cancelled.put(key, now);
            }
        }
        if (r != null) {
            r.engine().cancel(List.of(r.task()), c.kill());
            r.job().answer.complete(Relay.errorMessage(new CancellationException("the task was cancelled")));
        }
        return reply(ClusterWire.OK, s, e, new byte[0]);
    }

    /** Shuts the pool down (or terminates it), and answers once its workers have ended. */
    private byte[] stop(Session s, Envelope e, ClusterWire.Stop st) {
        PoolEngine engine;
        synchronized (s) {
            s.stopped.add(st.pool());
            engine = s.pools.get(st.pool());
        }
        if (engine != null) {
            if (st.terminate()) {
                engine.terminate();
            } else {
                engine.shutdown();
            }
            try {
                engine.join(-1);
            } catch (InterruptedException stopping) {
                Thread.currentThread().interrupt();
                engine.terminate();
            }
            synchronized (s) {
                s.pools.remove(st.pool(), engine);
            }
        }
        return reply(ClusterWire.OK, s, e, new byte[0]);
    }

    private byte[] pids(Session s, Envelope e, int pool) {
        PoolEngine engine;
        synchronized (s) {
            engine = s.pools.get(pool);
        }
        return reply(ClusterWire.PIDLIST, s, e, ClusterWire.pidList(engine == null ? List.of() : engine.workerPids()));
    }

    /**
     * Hazelcast reports that the client of the driver {@code id} left this member: its session ends,
     * unless {@code connectedAgain} (asked now) says that client is connected to this member again. Such
     * a report is old: a driver that lost the cluster and found it again greets this member anew, and
     * that HELLO ends the old session; ending the session here would end the new one instead.
     */
    public void clientGone(UUID id, BooleanSupplier connectedAgain) {
        Session s = sessions.get(id); // the session the report may end: not one a HELLO begins meanwhile
        if (s == null) {
            return;
        }
        if (connectedAgain.getAsBoolean()) {
            LOG.log(System.Logger.Level.DEBUG, "the driver " + id + " left this member and is back: its session stays");
            return;
        }
        end(id, s);
    }

    /** The driver {@code id} is gone: its session ends. */
    public void end(UUID id) {
        Session s = sessions.remove(id);
        if (s != null) {
            end(s);
        }
    }

    private void end(UUID id, Session s) {
        sessions.remove(id, s);
        end(s);
    }

    /**
     * Ends a session: its pools are terminated, their workers killed (and waited for, at most
     * {@link #END_WAIT}); its running tasks answer LEAVING; its lane's connection is closed.
     */
    private static void end(Session s) {
        List<PoolEngine> engines;
        LaneSessions lane;
        synchronized (s) {
            s.ended = true;
            engines = new ArrayList<>(s.pools.values());
            s.pools.clear();
            s.cancelled.clear();
            lane = s.lane;
        }
        if (lane != null) {
            lane.close.run();
        }
        engines.forEach(PoolEngine::terminate);
        try {
            for (PoolEngine engine : engines) {
                engine.join(END_WAIT.toNanos());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * This member is leaving: no new task is taken (a driver runs it elsewhere); the running ones are
     * waited for, at most {@code timeout}; then every session ends, and what still ran is answered
     * {@code LEAVING}, to run elsewhere.
     */
    public void drain(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (runningLock) {
            leaving = true;
            try { // the last answers written on their lanes, too, before the lanes close
                for (long left; (running > 0 || held > 0) && (left = deadline - System.nanoTime()) > 0; ) {
                    TimeUnit.NANOSECONDS.timedWait(runningLock, left);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (UUID id : new ArrayList<>(sessions.keySet())) {
            end(id);
        }
    }

    /** The RUNs in progress here: taken in and not answered yet. */
    int running() {
        synchronized (runningLock) {
            return running;
        }
    }

    /**
     * A lane holds back the answer of a RUN, to write it with others ({@link LaneServer#ANSWERS_OF_A_READ}):
     * the RUN stops counting as running just after, and {@link #drain} waits for the answer all the same.
     */
    void answerHeld() {
        synchronized (runningLock) {
            held++;
        }
    }

    /** An answer counted by {@link #answerHeld()} was written, or its connection failed. */
    void heldAnswerWritten() {
        synchronized (runningLock) {
            held--;
            runningLock.notifyAll();
        }
    }

    /** The answers held back by lanes and not written yet. */
    int heldAnswers() {
        synchronized (runningLock) {
            return held;
        }
    }

    private static byte[] answer(Session s, Envelope e, long task, byte[] message) {
        ClusterWire.Answer a = new ClusterWire.Answer(task, ByteBuffer.wrap(message));
        // the worker's bytes are copied once, into the envelope (or into the body that is encrypted)
        return Envelope.sealForSession(ClusterWire.ANSWER, e.session(), e.seq(), s.key, s.cipherKey,
                ClusterWire.answerLength(a), out -> ClusterWire.writeAnswer(out, a));
    }

    /** An answer to {@code e}, signed with the session's key, with its sequence number. */
    private static byte[] reply(byte kind, Session s, Envelope e, byte[] body) {
        return Envelope.sealForSession(kind, e.session(), e.seq(), s.key, s.cipherKey, body.length, out -> out.put(body));
    }

    private static byte[] refuse(UUID id, String reason) {
        return Envelope.refusal(id, ClusterWire.ELSE, reason).seal(null);
    }

    private static CompletableFuture<byte[]> refusal(UUID id, String reason) {
        return CompletableFuture.completedFuture(refuse(id, reason));
    }
}
