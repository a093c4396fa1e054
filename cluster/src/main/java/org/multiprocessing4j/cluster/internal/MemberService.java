package org.multiprocessing4j.cluster.internal;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.multiprocessing4j.AuthenticationError;
import org.multiprocessing4j.internal.runtime.StartMethod;

/**
 * A member's side of the cluster: it answers the envelopes that reach it (see {@link ClusterWire}).
 * Each driver has a session, opened by a {@code HELLO} signed with the authkey for this member and a new
 * epoch; each pool a driver opens here is a set of worker JVMs ({@link WorkerHost}) that connect to the
 * driver and take its tasks from there ({@link Link}): nothing of the driver's, neither function nor
 * argument nor result, passes through the member, or is deserialized in it. The member starts and
 * replaces the workers, kills one when its driver asks, and tells how one ended. Each message of a
 * session is taken once ({@link ReplayWindow}).
 *
 * <p>An {@code END} or a {@code WATCH} is answered when what it waits for happens, a {@code STOP} once
 * the pool's workers have ended. When a driver goes (its {@code BYE}, a newer session of it, the end of
 * its lane's connection, or Hazelcast noticing it gone), its session ends: first its lane connection is
 * closed, so that a driver still there (one that Hazelcast saw leave this member only for a while) knows
 * its session here is over, runs the session's tasks elsewhere and greets this member again; then its
 * pools' workers are killed. A LANE that comes for a session that has ended is refused, and its
 * connection closed. When the member leaves ({@link #drain}), it refuses new HELLOs and new pools, tells
 * each pool's driver to send no more work ({@code WATCH} answered {@code LEAVING}), waits for the drivers
 * to stop their pools here once their tasks have answered, then ends every session.
 */
public final class MemberService {
    /** Where Hazelcast's user context holds the service, for {@link Parcel#call()}. */
    public static final String CONTEXT_KEY = "org.multiprocessing4j.cluster.member";
    private static final System.Logger LOG = System.getLogger("org.multiprocessing4j.cluster");
    /** How long the end of a session waits for its killed workers to be gone. */
    private static final Duration END_WAIT = Duration.ofSeconds(10);
    private final byte[] authkey;
    private final String address;
    private final int slots;
    private final StartMethod startMethod;
    private final SecureRandom random = new SecureRandom();
    private final CountDownLatch started = new CountDownLatch(1);
    private volatile UUID self;                                    // this member's Hazelcast UUID, once started
    private volatile String lanes;                                 // where drivers open their Lanes, once started
    private final Map<UUID, Session> sessions = new ConcurrentHashMap<>();
    private final Map<UUID, Long> epochs = new HashMap<>();        // guarded by itself: each driver's newest epoch
    private final Object drainLock = new Object();                 // notified when a pool stops
    private volatile boolean leaving;

    /** A driver's pools here. Fields guarded by the session itself. */
    private static final class Session {
        final byte[] key;
        final byte[] cipherKey; // null: bodies in the clear
        final ReplayWindow window = new ReplayWindow();
        final Map<Integer, WorkerHost> pools = new HashMap<>();
        final Set<Integer> stopped = new HashSet<>();        // pools stopped: never opened again
        LaneSessions lane;                                   // the lane its LANE came on, once it came
        boolean ended;

        Session(byte[] key, byte[] cipherKey) {
            this.key = key;
            this.cipherKey = cipherKey;
        }
    }

    /**
     * @param address this member's {@code HOST:PORT}, as drivers are told it
     * @param slots the worker JVMs this member gives each pool, at most
     * @param startMethod how the pools' workers are started
     */
    public MemberService(byte[] authkey, String address, int slots, StartMethod startMethod) {
        this.authkey = authkey.clone();
        this.address = address;
        this.slots = slots;
        this.startMethod = startMethod;
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
     * Answers one envelope, blocking until its answer is ready (Hazelcast's executor calls this): never
     * throws, a refusal says what was wrong. Interrupted, it refuses it.
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
     * Answers one envelope: an END, a WATCH once what it waits for has happened (on the thread that saw it
     * happen), the others at once, on this thread; never fails, a refusal says what was wrong.
     */
    public CompletableFuture<byte[]> respond(byte[] sealed) {
        return respond(sealed, null);
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
     * As {@link #respond(byte[])}, for an envelope that came on a lane connection, whose LANE attaches its
     * session to {@code lane}.
     */
    CompletableFuture<byte[]> respond(byte[] sealed, LaneSessions lane) {
        try {
            if (Envelope.kindOf(sealed) == ClusterWire.HELLO) {
                return CompletableFuture.completedFuture(hello(sealed));
            }
            UUID id = Envelope.sessionOf(sealed);
            Session s = id == null ? null : sessions.get(id);
            if (s == null) {
                return refusal(id, "no session of this driver on " + address + " (it said no HELLO, or it ended)");
            }
            Envelope.Opened opened = Envelope.openInPlace(sealed, s.key);
            if (!s.window.take(opened.seq())) {
                LOG.log(System.Logger.Level.WARNING, "refused a message of a driver's session taken before: replayed");
                return refusal(id, "a message taken before");
            }
            Envelope e = opened.decrypted(s.cipherKey).envelope();
            if (lane == null && onLaneOnly(e.kind())) {
                return refusal(e.session(), "a " + (char) e.kind() + " comes only on a lane");
            }
            return switch (e.kind()) {
                case ClusterWire.END -> ended(s, e, ClusterWire.readWorker(e.body()));
                case ClusterWire.WATCH -> watch(s, e, ClusterWire.readPool(e.body()));
                default -> CompletableFuture.completedFuture(switch (e.kind()) {
                    case ClusterWire.LANE -> attach(s, e, lane);
                    case ClusterWire.OPEN -> open(s, e, ClusterWire.readOpen(e.body()));
                    case ClusterWire.KILL -> kill(s, e, ClusterWire.readWorker(e.body()));
                    case ClusterWire.STOP -> stop(s, e, ClusterWire.readStop(e.body()));
                    case ClusterWire.PIDS -> pids(s, e, ClusterWire.readPool(e.body()));
                    case ClusterWire.BYE -> {
                        end(e.session(), s);
                        yield reply(ClusterWire.OK, s, e, new byte[0]);
                    }
                    default -> refuse(e.session(), "unknown message " + e.kind());
                });
            };
        } catch (AuthenticationError e) {
            LOG.log(System.Logger.Level.WARNING, "refused a message whose signature does not match: " + e.getMessage());
            return refusal(null, e.getMessage());
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "refused a corrupt message", e);
            return refusal(null, "a corrupt message: " + e);
        }
    }

    /**
     * Whether a message of this kind must come on a lane: a LANE, and those whose answers wait for a worker
     * (they would hold one of Hazelcast's executor threads meanwhile), or that must be quick.
     */
    static boolean onLaneOnly(byte kind) {
        return switch (kind) {
            case ClusterWire.LANE, ClusterWire.KILL, ClusterWire.END, ClusterWire.WATCH -> true;
            default -> false;
        };
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
            s.pools.computeIfAbsent(o.pool(), p -> new WorkerHost(new WorkerHost.Settings(o.links(), authkey, s.key,
                    s.cipherKey, self, o.pool(), Math.max(1, Math.min(slots, o.slots())), o.initializer(),
                    o.maxTasksPerChild(), startMethod)));
        }
        return reply(ClusterWire.OK, s, e, new byte[0]);
    }

    private WorkerHost pool(Session s, int pool) {
        synchronized (s) {
            return s.pools.get(pool);
        }
    }

    private byte[] kill(Session s, Envelope e, ClusterWire.Worker w) {
        WorkerHost host = pool(s, w.pool());
        if (host != null) {
            host.kill(w.worker());
        }
        return reply(ClusterWire.OK, s, e, new byte[0]);
    }

    /** How a worker ended, once it has. */
    private CompletableFuture<byte[]> ended(Session s, Envelope e, ClusterWire.Worker w) {
        WorkerHost host = pool(s, w.pool());
        CompletableFuture<ClusterWire.Ended> end = host != null ? host.ended(w.worker())
                : CompletableFuture.completedFuture(new ClusterWire.Ended(ClusterWire.NOT_KNOWN, 0, "no such pool"));
        return end.thenApply(ended -> reply(ClusterWire.ENDED, s, e, ClusterWire.ended(ended)));
    }

    /** Answered when the pool can run no more here: broken, this member leaving, or the pool stopped. */
    private CompletableFuture<byte[]> watch(Session s, Envelope e, int pool) {
        WorkerHost host = pool(s, pool);
        if (host == null) {
            return CompletableFuture.completedFuture(reply(ClusterWire.OK, s, e, new byte[0]));
        }
        if (leaving) {
            host.leaving();
        }
        return host.watch().thenApply(kind -> kind == ClusterWire.BROKEN
                ? reply(ClusterWire.BROKEN, s, e, ClusterWire.broken(host.broken()))
                : reply(kind, s, e, new byte[0]));
    }

    /** Stops the pool (terminates it: its workers killed), and answers once its workers have ended. */
    private byte[] stop(Session s, Envelope e, ClusterWire.Stop st) {
        WorkerHost host;
        synchronized (s) {
            s.stopped.add(st.pool());
            host = s.pools.get(st.pool());
        }
        if (host != null) {
            host.stop(st.terminate(), END_WAIT);
            synchronized (s) {
                s.pools.remove(st.pool(), host);
            }
            synchronized (drainLock) {
                drainLock.notifyAll();
            }
        }
        return reply(ClusterWire.OK, s, e, new byte[0]);
    }

    private byte[] pids(Session s, Envelope e, int pool) {
        WorkerHost host = pool(s, pool);
        return reply(ClusterWire.PIDLIST, s, e, ClusterWire.pidList(host == null ? List.of() : host.pids()));
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
     * Ends a session: its pools' workers are killed (and waited for, at most {@link #END_WAIT}); its lane's
     * connection is closed.
     */
    private void end(Session s) {
        List<WorkerHost> hosts;
        LaneSessions lane;
        synchronized (s) {
            s.ended = true;
            hosts = new ArrayList<>(s.pools.values());
            s.pools.clear();
            lane = s.lane;
        }
        if (lane != null) {
            lane.close.run();
        }
        hosts.forEach(h -> h.stop(true, END_WAIT));
        synchronized (drainLock) {
            drainLock.notifyAll();
        }
    }

    /**
     * This member is leaving: no new pool is taken, and each pool's driver is told to send no more work
     * here ({@code WATCH} answered {@code LEAVING}); the drivers stop their pools once the tasks there have
     * answered, and are waited for, at most {@code timeout}; then every session ends, and what still ran
     * here runs elsewhere.
     */
    public void drain(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        leaving = true;
        for (Session s : sessions.values()) {
            List<WorkerHost> hosts;
            synchronized (s) {
                hosts = new ArrayList<>(s.pools.values());
            }
            hosts.forEach(WorkerHost::leaving);
        }
        synchronized (drainLock) {
            try {
                for (long left; openPools() > 0 && (left = deadline - System.nanoTime()) > 0; ) {
                    TimeUnit.NANOSECONDS.timedWait(drainLock, left);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (UUID id : new ArrayList<>(sessions.keySet())) {
            end(id);
        }
    }

    /** The pools open here, of every session. */
    int openPools() {
        int n = 0;
        for (Session s : sessions.values()) {
            synchronized (s) {
                n += s.pools.size();
            }
        }
        return n;
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
