package org.multiprocessing4j.cluster.internal;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.multiprocessing4j.AuthenticationError;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.internal.pool.Engine;
import org.multiprocessing4j.internal.pool.PoolEngine;
import org.multiprocessing4j.internal.pool.Relay;
import org.multiprocessing4j.internal.pool.Task;
import org.multiprocessing4j.internal.runtime.StartMethod;

/**
 * A member's side of the cluster: it answers the envelopes that reach it (see {@link ClusterWire}).
 * Each driver has a session, opened by a {@code HELLO} signed with the authkey; each pool a driver opens
 * here is a local pool of worker JVMs ({@link PoolEngine}) that runs the driver's tasks as they came
 * ({@link PoolEngine#relayTask}): nothing of the driver's, neither function nor argument nor result, is
 * deserialized in the member. A task's deadline, a worker's death and its replacement are the local
 * pool's, as on one machine.
 *
 * <p>A {@code RUN} holds its executor thread until the task's answer comes. When a driver goes (its
 * {@code BYE}, or Hazelcast notices it gone), its session ends: its pools are terminated, and their workers
 * killed. When the member leaves ({@link #drain}), it takes no new task, lets the running ones finish,
 * then ends every session.
 */
public final class MemberService {
    /** Where Hazelcast's user context holds the service, for {@link Parcel#call()}. */
    public static final String CONTEXT_KEY = "org.multiprocessing4j.cluster.member";
    private static final System.Logger LOG = System.getLogger("org.multiprocessing4j.cluster");

    private final byte[] authkey;
    private final String address;
    private final int slots;
    private final SecureRandom random = new SecureRandom();
    private final Map<UUID, Session> sessions = new ConcurrentHashMap<>();
    private final Object runningLock = new Object();
    private int running;            // guarded by runningLock: RUNs in progress
    private volatile boolean leaving;

    /** A driver's pools here, and the tasks of theirs that run. */
    private static final class Session {
        final byte[] key;
        final Map<Integer, PoolEngine> pools = new ConcurrentHashMap<>();
        final Map<Key, Running> running = new ConcurrentHashMap<>();

        Session(byte[] key) {
            this.key = key;
        }
    }

    private record Key(int pool, long task) {
    }

    /** A task relayed to a worker: its answer, when it comes, completes the RUN that waits for it. */
    private record Running(Task task, PoolEngine engine, CompletableFuture<byte[]> answer) {
    }

    /** Takes the worker's answer as it is: the driver reads it. */
    private static final class RelayJob implements Engine.Job {
        final CompletableFuture<byte[]> answer = new CompletableFuture<>();

        @Override
        public void received(Task task, byte[] message) {
            answer.complete(message);
        }

        @Override
        public void done(Task task, List<Object> results) {
            answer.complete(Relay.errorMessage(new IllegalStateException("a relayed task's results were decoded")));
        }

        @Override
        public void failed(Task task, Throwable error) {
            answer.complete(Relay.errorMessage(error));
        }
    }

    /**
     * @param address this member's {@code HOST:PORT}, as drivers are told it
     * @param slots the worker JVMs this member gives each pool, at most
     */
    public MemberService(byte[] authkey, String address, int slots) {
        this.authkey = authkey.clone();
        this.address = address;
        this.slots = slots;
    }

    /** Answers one envelope: never throws, a refusal says what was wrong. */
    public byte[] handle(byte[] sealed) {
        try {
            if (Envelope.kindOf(sealed) == ClusterWire.HELLO) {
                return hello(sealed);
            }
            UUID id = sessionOf(sealed);
            Session s = id == null ? null : sessions.get(id);
            if (s == null) {
                return refuse(id, "no session of this driver on " + address + " (it said no HELLO, or it ended)");
            }
            Envelope e = Envelope.open(sealed, s.key);
            return switch (e.kind()) {
                case ClusterWire.OPEN -> open(e.session(), s, ClusterWire.readOpen(e.body()));
                case ClusterWire.RUN -> run(e.session(), s, ClusterWire.readRun(e.body()));
                case ClusterWire.CANCEL -> cancel(e.session(), s, ClusterWire.readCancel(e.body()));
                case ClusterWire.STOP -> stop(e.session(), s, ClusterWire.readStop(e.body()));
                case ClusterWire.PIDS -> pids(e.session(), s, ClusterWire.readPool(e.body()));
                case ClusterWire.BYE -> {
                    end(e.session());
                    yield new Envelope(ClusterWire.OK, e.session(), new byte[0]).seal(s.key);
                }
                default -> refuse(e.session(), "unknown message " + e.kind());
            };
        } catch (AuthenticationError e) {
            LOG.log(System.Logger.Level.WARNING, "refused a message whose signature does not match: " + e.getMessage());
            return refuse(null, e.getMessage());
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "refused a corrupt message", e);
            return refuse(null, "a corrupt message: " + e);
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
        byte[] nonce = new byte[ClusterWire.NONCE_BYTES];
        random.nextBytes(nonce);
        if (h.role() == ClusterWire.DRIVER) {
            Session fresh = new Session(Envelope.sessionKey(authkey, h.nonce(), nonce));
            if (sessions.putIfAbsent(e.session(), fresh) != null) {
                return refuse(e.session(), "this driver's session on " + address + " is open already");
            }
        }
        return new Envelope(ClusterWire.WELCOME, e.session(), ClusterWire.welcome(new ClusterWire.Welcome(h.nonce(), nonce,
                address, ProcessHandle.current().pid(), slots, ClassPathDigest.own()))).seal(authkey);
    }

    private byte[] open(UUID id, Session s, ClusterWire.Open o) {
        if (leaving) {
            return new Envelope(ClusterWire.LEAVING, id, new byte[0]).seal(s.key);
        }
        s.pools.computeIfAbsent(o.pool(), p -> new PoolEngine(Math.max(1, Math.min(slots, o.slots())),
                o.initializer().length == 0 ? null : Relay.initializer(o.initializer()), o.maxTasksPerChild(),
                o.timeoutNanos() > 0 ? Duration.ofNanos(o.timeoutNanos()) : null, o.retries(),
                StartMethod.of(Multiprocessing.getStartMethod()), "ClusterPoolWorker"));
        return new Envelope(ClusterWire.OK, id, new byte[0]).seal(s.key);
    }

    private byte[] run(UUID id, Session s, ClusterWire.Run r) {
        PoolEngine engine = s.pools.get(r.pool());
        if (engine == null) {
            return refuse(id, "no pool " + r.pool() + " of this driver on " + address);
        }
        synchronized (runningLock) {
            if (leaving) {
                return new Envelope(ClusterWire.LEAVING, id, new byte[0]).seal(s.key);
            }
            running++;
        }
        Key key = new Key(r.pool(), r.task());
        try {
            RelayJob job = new RelayJob();
            Task t = engine.relayTask(job, r.message(), r.fnId(), r.fn(), r.timeoutNanos());
            s.running.put(key, new Running(t, engine, job.answer));
            try {
                engine.submit(List.of(t));
            } catch (RuntimeException stopped) { // the pool was stopped, or cannot start workers
                job.failed(t, stopped);
            }
            byte[] answer;
            try {
                answer = job.answer.get();
            } catch (InterruptedException e) {
                engine.cancel(List.of(t), true);
                Thread.currentThread().interrupt();
                answer = Relay.errorMessage(new CancellationException("the member " + address + " was stopped"));
            } catch (ExecutionException e) {
                answer = Relay.errorMessage(e.getCause());
            }
            return new Envelope(ClusterWire.ANSWER, id, ClusterWire.answer(new ClusterWire.Answer(r.task(), answer)))
                    .seal(s.key);
        } finally {
            s.running.remove(key);
            synchronized (runningLock) {
                running--;
                runningLock.notifyAll();
            }
        }
    }

    private byte[] cancel(UUID id, Session s, ClusterWire.Cancel c) {
        Running r = s.running.get(new Key(c.pool(), c.task()));
        if (r != null) {
            r.engine().cancel(List.of(r.task()), c.kill());
            r.answer().complete(Relay.errorMessage(new CancellationException("the task was cancelled")));
        }
        return new Envelope(ClusterWire.OK, id, new byte[0]).seal(s.key);
    }

    private byte[] stop(UUID id, Session s, ClusterWire.Stop st) {
        PoolEngine engine = s.pools.remove(st.pool());
        if (engine != null) {
            if (st.terminate()) {
                engine.terminate();
            } else {
                engine.shutdown();
            }
        }
        return new Envelope(ClusterWire.OK, id, new byte[0]).seal(s.key);
    }

    private byte[] pids(UUID id, Session s, int pool) {
        PoolEngine engine = s.pools.get(pool);
        List<Long> pids = engine == null ? List.of() : engine.workerPids();
        return new Envelope(ClusterWire.PIDLIST, id, ClusterWire.pidList(pids)).seal(s.key);
    }

    /** The driver {@code id} is gone: its pools are terminated, their workers killed. */
    public void end(UUID id) {
        Session s = sessions.remove(id);
        if (s != null) {
            for (PoolEngine engine : s.pools.values()) {
                engine.terminate();
            }
            s.pools.clear();
        }
    }

    /**
     * This member is leaving: no new task is taken (a driver runs it elsewhere); the running ones are
     * waited for, at most {@code timeout}; then every session ends.
     */
    public void drain(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (runningLock) {
            leaving = true;
            try {
                for (long left; running > 0 && (left = deadline - System.nanoTime()) > 0; ) {
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

    /** The session an envelope names, read before it is verified (to find its key); null if too short. */
    private static UUID sessionOf(byte[] sealed) {
        if (sealed == null || sealed.length < Envelope.HEAD_BYTES) {
            return null;
        }
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(sealed, Envelope.MAC_BYTES + 1, 16);
        return new UUID(b.getLong(), b.getLong());
    }

    private static byte[] refuse(UUID id, String reason) {
        return Envelope.refusal(id, ClusterWire.ELSE, reason).seal(null);
    }
}
