package org.multiprocessing4j.cluster.internal;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.HazelcastClientNotActiveException;
import com.hazelcast.cluster.InitialMembershipEvent;
import com.hazelcast.cluster.InitialMembershipListener;
import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.multiprocessing4j.AuthenticationError;
import org.multiprocessing4j.ProcessError;
import org.multiprocessing4j.internal.wire.Address;
import org.multiprocessing4j.internal.wire.AuthServer;
import org.multiprocessing4j.internal.wire.Dial;
import org.multiprocessing4j.internal.wire.SocketTransport;

/**
 * A driver's link to the cluster: a Hazelcast client, and the members it may send work to. A member
 * becomes a {@link Peer} once it has answered this driver's {@code HELLO} with a {@code WELCOME} signed
 * with the authkey, for this driver's nonce, from a JVM that runs the same code (the same class path by
 * {@link ClassPathDigest}); any other member is refused, with the reason kept for the user. Pools on the
 * cluster ({@link ClusterEngine}) hear of every peer that comes and goes. When the client loses the
 * cluster and finds it again, every peer counts as gone (a member that saw the driver go ended its
 * session) and every member is greeted again, in a new session. A member whose lane ends while it is
 * still in the cluster (a network fault; or the member ended the session, as when Hazelcast saw this
 * driver leave it for a while), or that did not answer a greeting, is greeted again, after
 * {@link #REGREET_DELAY} and then less and less often (see {@link #greetAgain(Member, long)}). Greetings, lane ends and
 * membership events may come in any order; {@link Peers} says how the peers stay true.
 *
 * <p>Thread-safe.
 */
public final class Driver implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("org.multiprocessing4j.cluster");
    /** How long a call that answers at once (a HELLO, an OPEN, a PIDS) may take. */
    static final Duration CONTROL_TIMEOUT = Duration.ofSeconds(30);
    /** How long after its lane ended a member still in the cluster is greeted again; then twice as long, up to the most. */
    static final Duration REGREET_DELAY = Duration.ofSeconds(1);
    static final Duration REGREET_MOST = Duration.ofSeconds(30);
    /** How long a member may take to answer a LANE: short enough for a greeting to end within {@link #CONTROL_TIMEOUT}. */
    private static final Duration LANE_TIMEOUT = Duration.ofSeconds(10);
    /** How long {@link #close()} waits for the members' answers to its BYE. */
    private static final Duration BYE_TIMEOUT = Duration.ofSeconds(5);

    /**
     * A member that welcomed this driver: where it is, its pid and worker slots, the session's key, its
     * key for the bodies (null when they are not encrypted), the epoch of the HELLO it welcomed, this
     * driver's data connection to it, and where its workers connect to this driver ({@link Link}).
     */
    public record Peer(Member member, String address, long pid, int slots, byte[] key, byte[] cipherKey, long epoch,
            Lane lane, String links) {
    }

    private final HazelcastInstance client;
    private final byte[] authkey;
    private final UUID session;
    private final SecureRandom random = new SecureRandom();
    private final AtomicLong seq = new AtomicLong();                  // every session message's number
    private final AtomicLong hellos = new AtomicLong();               // every HELLO's number, each higher
    private final Peers peers = new Peers();                          // and the greetings' generation, new on each reconnect
    private final Map<UUID, String> refused = new ConcurrentHashMap<>();
    private final Set<UUID> refusedKey = ConcurrentHashMap.newKeySet(); // members that refused the authkey
    private final Map<Integer, ClusterEngine> engines = new ConcurrentHashMap<>(); // by pool id
    /** Where the members' workers connect to this driver ({@link Link}), by the local address it reaches members from. */
    private final Map<java.net.InetAddress, AuthServer> links = new ConcurrentHashMap<>();
    private final Map<UUID, Long> greeted = new ConcurrentHashMap<>(); // the generation each member was last greeted in
    private final Map<UUID, Long> regreeting = new ConcurrentHashMap<>(); // members greeted again, in which generation
    private final Map<UUID, Integer> rounds = new ConcurrentHashMap<>();   // each member's last round of greeting again
    private final Map<UUID, Long> admittedAt = new ConcurrentHashMap<>();  // when each member last became a peer (ns)
    private final Map<UUID, Integer> greeting = new ConcurrentHashMap<>(); // greetings under way, by member
    private final Set<Lane> admitting = ConcurrentHashMap.newKeySet();     // lanes whose LANE is not answered yet
    /** Where welcomes are taken in: each opens a lane, which may wait on the network. */
    private final ExecutorService greetings = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "mp4j-cluster-greeting");
        t.setDaemon(true);
        return t;
    });
    /**
     * The one thread that takes the members' answers, in the order they arrive. Not Hazelcast's default
     * (on a machine of one or two cores that starts a new thread for every answer), nor the thread that
     * received the answer (a pool's job, which may call back into user code, must not hold up Hazelcast's
     * own threads).
     */
    private final ExecutorService answers = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "mp4j-cluster-answers");
        t.setDaemon(true);
        return t;
    });
    /**
     * Where control messages that got no answer wait to be sent again ({@link ControlCall#PAUSE}): one
     * thread, not the JDK's default (on a machine of one or two cores, a new thread for every wait).
     * Shut down by {@link #close()}: the waits under way still end, in a new attempt or a failure.
     */
    private final ScheduledExecutorService resends = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "mp4j-cluster-resends");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean closed;
    private volatile boolean disconnected;

    private Driver(HazelcastInstance client, byte[] authkey) {
        this.client = client;
        this.authkey = authkey.clone();
        this.session = client.getLocalEndpoint().getUuid();
    }

    /**
     * Connects to the cluster {@code clusterName} through any of {@code addresses} and says HELLO to
     * every member; returns once each has answered.
     *
     * @throws AuthenticationError if every member refused this driver's authkey
     * @throws ProcessError if no member answered in time
     */
    public static Driver connect(String clusterName, List<String> addresses, byte[] authkey) {
        ClassPathDigest.own(); // before any member's answer waits for it
        HazelcastInstance client;
        try {
            client = HazelcastClient.newHazelcastClient(HazelcastSetup.driver(clusterName, addresses,
                    CONTROL_TIMEOUT.toMillis()));
        } catch (RuntimeException e) {
            throw new ProcessError("cannot reach the cluster '" + clusterName + "' at " + String.join(",", addresses)
                    + " within " + CONTROL_TIMEOUT.toSeconds() + " s: " + e.getMessage());
        }
        Driver d = new Driver(client, authkey);
        try {
            d.start();
            return d;
        } catch (RuntimeException e) {
            d.close();
            throw e;
        }
    }

    private void start() {
        List<CompletableFuture<Void>> first = new ArrayList<>();
        client.getLifecycleService().addLifecycleListener(event -> {
            switch (event.getState()) {
                case CLIENT_DISCONNECTED -> disconnected = true;
                case CLIENT_CONNECTED -> {
                    if (disconnected && !closed) {
                        disconnected = false;
                        reconnected();
                    }
                }
                case SHUTDOWN -> {
                    if (!closed) {
                        engines.values().forEach(e -> e.lost(new ProcessError("the connection to the cluster was lost")));
                        peers.close().forEach(p -> p.lane().close()); // and nobody is greeted again
                    }
                }
                default -> {
                }
            }
        });
        client.getCluster().addMembershipListener(new InitialMembershipListener() {
            @Override
            public void init(InitialMembershipEvent event) {
                for (Member m : event.getMembers()) {
                    first.add(greet(m));
                }
            }

            @Override
            public void memberAdded(MembershipEvent event) {
                greet(event.getMember());
            }

            @Override
            public void memberRemoved(MembershipEvent event) {
                gone(event.getMember());
            }
        });
        try {
            CompletableFuture.allOf(first.toArray(CompletableFuture[]::new)).get(CONTROL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProcessError("interrupted while the members were greeted");
        } catch (ExecutionException | TimeoutException e) {
            throw new ProcessError("the members did not answer within " + CONTROL_TIMEOUT.toSeconds() + " s: " + e);
        }
        if (peers.list().isEmpty() && !refusedKey.isEmpty() && refusedKey.containsAll(refused.keySet())) {
            throw new AuthenticationError("every member refused this driver's authkey: " + refusals());
        }
    }

    /** The client found the cluster again: the members ended this driver's sessions; new ones begin. */
    private void reconnected() {
        // one step: a welcome of the old generation is not admitted from now on, and no peer of it is kept
        for (Peer p : peers.newGeneration()) {
            let(p);
        }
        for (Member m : client.getCluster().getMembers()) {
            greet(m);
        }
    }

    /**
     * Says HELLO to {@code m}, once in a generation (a member that joins while the driver reconnects is
     * greeted for its membership event and for the reconnection); it becomes a peer if its answer holds.
     * Never fails: a refusal is kept.
     */
    private CompletableFuture<Void> greet(Member m) {
        long generation = peers.generation();
        Long before = greeted.put(m.getUuid(), generation);
        if (before != null && before == generation) {
            return CompletableFuture.completedFuture(null);
        }
        return greet(m, generation, false);
    }

    /**
     * Greets {@code m} again, while it is in the cluster and no peer, in the generation {@code generation}
     * (nothing if that is over): after {@link #REGREET_DELAY}, then after twice as long each time, up to
     * {@link #REGREET_MOST}; for a member that was last admitted less than {@link #REGREET_MOST} ago, the
     * first wait is twice the last wait of its last round, so that a member that keeps losing its sessions
     * is not greeted every second. One round per member and generation; no HELLO while another greeting of the member is under
     * way. The first greeting's failure was logged: the failures of the round are kept, not logged as
     * warnings (the member may have died, and Hazelcast not have said so yet).
     */
    private void greetAgain(Member m, long generation) {
        UUID id = m.getUuid();
        if (!peers.isCurrent(generation)) {
            return;
        }
        boolean[] begins = {false};
        regreeting.compute(id, (k, round) -> { // only a newer generation takes over (that of an older round ends)
            begins[0] = round == null || round < generation;
            return begins[0] ? generation : round;
        });
        if (begins[0]) {
            Long at = admittedAt.get(id);
            boolean churning = at != null && System.nanoTime() - at < REGREET_MOST.toNanos();
            greetAgain(m, generation, churning ? rounds.getOrDefault(id, -1) + 1 : 0);
        }
    }

    private void greetAgain(Member m, long generation, int round) {
        UUID id = m.getUuid();
        rounds.put(id, round);
        long delay = Math.min(REGREET_DELAY.toMillis() << Math.min(round, 16), REGREET_MOST.toMillis());
        CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS).execute(() -> {
            try {
                if (!lost(m, generation)) {
                    endRound(m, generation);
                } else if (greeting.containsKey(id)) {
                    greetAgain(m, generation, round + 1); // its outcome decides; look again later
                } else {
                    LOG.log(System.Logger.Level.DEBUG, "greeting the member " + m.getAddress() + " again");
                    greet(m, generation, true).whenComplete((done, impossible) -> {
                        if (lost(m, generation)) {
                            greetAgain(m, generation, round + 1);
                        } else {
                            endRound(m, generation);
                        }
                    });
                }
            } catch (HazelcastClientNotActiveException closedMeanwhile) {
                // the driver closed after the round's last look: nobody is greeted any more
            }
        });
    }

    /** A round of greeting {@code m} again ends; if the member was lost again meanwhile, another begins. */
    private void endRound(Member m, long generation) {
        regreeting.remove(m.getUuid(), generation);
        if (!peers.isCurrent(generation)) {
            return; // the driver closed, or found the cluster again: that generation's greetings speak for it
        }
        if (lost(m, generation)) {
            greetAgain(m, generation);
        } else if (!client.getCluster().getMembers().contains(m)) {
            rounds.remove(m.getUuid());
            admittedAt.remove(m.getUuid());
        }
    }

    /** Whether {@code m} is in the cluster and no peer, in the generation {@code generation}, which is still current. */
    private boolean lost(Member m, long generation) {
        return peers.isCurrent(generation) && peers.get(m.getUuid()) == null && client.getCluster().getMembers().contains(m);
    }

    /**
     * Greets {@code m} in the generation {@code generation}, counted in {@link #greeting} while it is under
     * way ({@link #hello} says how). The future completes once the member is a peer, or is not to be one.
     *
     * @param again a greeting again ({@link #greetAgain}): why it failed is logged at {@code DEBUG}
     */
    private CompletableFuture<Void> greet(Member m, long generation, boolean again) {
        UUID id = m.getUuid();
        greeting.merge(id, 1, Integer::sum);
        return CompletableFuture.completedFuture(null).thenCompose(x -> hello(m, generation, again)) // may throw
                .whenComplete((x, e) -> greeting.computeIfPresent(id, (k, n) -> n == 1 ? null : n - 1));
    }

    /**
     * A HELLO to {@code m}, of the generation {@code generation}; sent again as {@link ControlCall} says
     * (a member that has only just joined may not be in the list of the member that routes the call yet),
     * each time with a new nonce and epoch. Nothing is sent, and an answer is dropped, once the generation
     * is over: the greeting of the new one speaks for that member. Each HELLO carries as its epoch the
     * generation, then a number higher than every one before: a member takes a driver's HELLO only if its
     * epoch is the highest it has seen, so a late HELLO of an old generation cannot end a session of the
     * new one, and a HELLO sent again begins a newer session, which ends one the member may have begun.
     */
    private CompletableFuture<Void> hello(Member m, long generation, boolean again) {
        record Sent(byte[] nonce, long epoch) {
        }
        AtomicReference<Sent> last = new AtomicReference<>(); // the attempts come one after another
        String where = m.getAddress().getHost() + ":" + m.getAddress().getPort();
        return call(HazelcastSetup.CONTROL, m, () -> {
            if (!peers.isCurrent(generation)) {
                return null;
            }
            byte[] nonce = new byte[ClusterWire.NONCE_BYTES];
            random.nextBytes(nonce);
            long epoch = generation << 32 | (hellos.incrementAndGet() & 0xffff_ffffL);
            last.set(new Sent(nonce, epoch));
            return new Envelope(ClusterWire.HELLO, session, 0, ClusterWire.hello(new ClusterWire.Hello(nonce,
                    ClusterWire.DRIVER, epoch, m.getUuid(), BodyCipher.enabled()))).seal(authkey);
        }).handle((reply, error) -> {
            Sent sent = last.get();
            if (!peers.isCurrent(generation) || sent == null) {
                return CompletableFuture.<Void>completedFuture(null);
            }
            try {
                if (error != null) {
                    refuse(m, where, "it did not answer: " + error, again);
                    greetAgain(m, generation); // while it is in the cluster: it may answer a later HELLO
                } else if (Envelope.kindOf(reply) == ClusterWire.REFUSED) {
                    ClusterWire.Refusal r = Envelope.openRefusal(reply);
                    if (r.wrongKey()) {
                        refusedKey.add(m.getUuid());
                    }
                    refuse(m, where, r.reason(), again);
                } else {
                    Envelope e = Envelope.open(reply, authkey);
                    // off this thread, which takes every answer of the driver: opening a lane may wait on the network
                    try {
                        return CompletableFuture.supplyAsync(() -> welcomed(m, where, sent.nonce(), generation,
                                sent.epoch(), again, e), greetings).thenCompose(admitted -> admitted);
                    } catch (RejectedExecutionException closing) { // the driver closed meanwhile
                        return CompletableFuture.<Void>completedFuture(null);
                    }
                }
            } catch (AuthenticationError e) {
                refusedKey.add(m.getUuid());
                refuse(m, where, "its answer is not signed with this driver's authkey", false);
            } catch (IOException | RuntimeException e) {
                refuse(m, where, "a corrupt answer: " + e, false);
            }
            return CompletableFuture.<Void>completedFuture(null);
        }).thenCompose(next -> next);
    }

    /**
     * {@code m} welcomed this driver: if the welcome holds, opens the lane and sends its LANE, and admits
     * the peer once the member has taken that LANE (a session the member ended meanwhile is refused there,
     * and the member is then greeted again). Completes when that is settled; never fails.
     */
    private CompletableFuture<Void> welcomed(Member m, String where, byte[] nonce, long generation, long epoch,
            boolean again, Envelope e) {
        if (!peers.isCurrent(generation)) { // the driver closed or reconnected meanwhile
            return CompletableFuture.completedFuture(null);
        }
        ClusterWire.Welcome w;
        try {
            w = ClusterWire.readWelcome(e.body());
        } catch (IOException | RuntimeException corrupt) {
            refuse(m, where, "a corrupt answer: " + corrupt, false);
            return CompletableFuture.completedFuture(null);
        }
        if (e.kind() != ClusterWire.WELCOME || !Arrays.equals(w.driverNonce(), nonce) || !e.session().equals(session)) {
            refuse(m, where, "its answer is not for this driver's HELLO", false);
            return CompletableFuture.completedFuture(null);
        }
        List<String> differ = ClassPathDigest.differences(ClassPathDigest.own(), w.classPath());
        if (!differ.isEmpty()) {
            refuse(m, where, "it runs other code than this driver; the class path entries that differ: "
                    + String.join(", ", differ), false);
            return CompletableFuture.completedFuture(null);
        }
        if (w.encrypts() != BodyCipher.enabled()) {
            refuse(m, where, "it " + (w.encrypts() ? "encrypts" : "does not encrypt") + " its sessions and this driver "
                    + (BodyCipher.enabled() ? "does" : "does not") + " (system property multiprocessing4j.cluster.encrypt)",
                    false);
            return CompletableFuture.completedFuture(null);
        }
        Lane lane;
        try {
            lane = Lane.open(w.lanes(), authkey, where, l -> laneEnded(where, l));
        } catch (Dial.Failed | RuntimeException f) {
            refuse(m, where, "its data connection at " + w.lanes() + " cannot be opened: " + f.getMessage(), again);
            return CompletableFuture.completedFuture(null);
        }
        admitting.add(lane);
        if (closed) { // close() closes the lanes it finds in admitting: this one may have come after
            lane.close();
        }
        String linkAddress;
        try {
            linkAddress = links(lane.localAddress());
        } catch (RuntimeException f) {
            lane.close();
            refuse(m, where, "this driver cannot listen for its workers: " + f.getMessage(), again);
            return CompletableFuture.completedFuture(null);
        }
        Peer p = new Peer(m, w.address(), w.pid(), w.slots(), Envelope.sessionKey(authkey, nonce, w.memberNonce()),
                w.encrypts() ? BodyCipher.sessionKey(authkey, nonce, w.memberNonce()) : null, epoch, lane, linkAddress);
        // the lane's first frame: when its connection ends (this JVM died), the member ends the session at once
        return lane.call(seal(ClusterWire.LANE, new byte[0], p))
                .orTimeout(LANE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).handle((reply, error) -> {
            admitting.remove(lane);
            String why = error instanceof TimeoutException ? "no answer within " + LANE_TIMEOUT.toSeconds() + " s"
                    : error != null ? String.valueOf(error) : laneRefusal(reply, p);
            if (why != null) {
                lane.close();
                refuse(m, where, "its data connection did not take this driver's session: " + why, true);
                greetAgain(m, generation); // a member that ended the session before its LANE came (and is still there)
                return null;
            }
            // a member that left, a lane that ended or a generation that ended meanwhile: no peer
            Peers.Admission a = peers.admit(p, generation, () -> client.getCluster().getMembers().contains(m));
            if (!a.admitted()) {
                lane.close();
                greetAgain(m, generation); // if it is still there and no peer (its lane ended before it was admitted)
                return null;
            }
            refused.remove(m.getUuid());
            refusedKey.remove(m.getUuid());
            admittedAt.put(m.getUuid(), System.nanoTime());
            if (a.replaced() != null) { // greeted twice: its older session has ended on the member
                let(a.replaced());
            }
            engines.values().forEach(engine -> engine.peerAdded(p));
            return null;
        });
    }

    /** Why the member did not take a LANE, from its answer {@code reply}; null if it took it. */
    private static String laneRefusal(byte[] reply, Peer p) {
        try {
            if (Envelope.kindOf(reply) == ClusterWire.REFUSED) {
                return Envelope.openRefusal(reply).reason();
            }
            Envelope e = opened(reply, p);
            return e.kind() == ClusterWire.OK ? null : "the answer " + (char) e.kind() + " to a LANE";
        } catch (IOException | RuntimeException corrupt) {
            return "a corrupt answer: " + corrupt;
        }
    }

    /** Keeps why {@code m} takes no work; logs it, as a warning unless {@code quietly}. */
    private void refuse(Member m, String where, String reason, boolean quietly) {
        refused.put(m.getUuid(), where + ": " + reason);
        LOG.log(quietly ? System.Logger.Level.DEBUG : System.Logger.Level.WARNING,
                "no work goes to the member " + where + ": " + reason);
    }

    /**
     * A member's lane ended: the member died (Hazelcast will say so too), ended this driver's session
     * there, or this driver cannot reach it for now. The peer of that lane is no peer now: its tasks run
     * elsewhere; if its member is still in the cluster in a moment, it is greeted again. A newer peer of
     * the same member, with a lane of its own, stays.
     */
    private void laneEnded(String where, Lane lane) {
        Peer p = peers.laneEnded(lane);
        if (p != null) {
            LOG.log(System.Logger.Level.DEBUG, "the data connection to the member " + where + " ended");
            let(p);
            greetAgain(p.member(), peers.generation());
        }
    }

    /** The member {@code m} left the cluster: its peer, if it has one, is gone. */
    private void gone(Member m) {
        greeted.remove(m.getUuid());
        rounds.remove(m.getUuid());
        admittedAt.remove(m.getUuid());
        refused.remove(m.getUuid());
        refusedKey.remove(m.getUuid());
        Peer p = peers.remove(m.getUuid());
        if (p != null) {
            let(p);
        }
    }

    /** Lets go of a peer taken out of {@link #peers}: the pools' tasks there run elsewhere, its lane closes. */
    private void let(Peer p) {
        engines.values().forEach(engine -> engine.peerGone(p));
        p.lane().close();
    }

    /**
     * Sends a message to {@code m} through the executor {@code executor}, sealed anew by {@code seal} for
     * each attempt, and again while the call gets no answer and the member is in the cluster
     * ({@link ControlCall}); its answer, or why none came.
     */
    CompletableFuture<byte[]> call(String executor, Member m, Supplier<byte[]> seal) {
        return ControlCall.call(sealed -> send(executor, m, sealed), seal,
                () -> client.getCluster().getMembers().contains(m),
                r -> resends.schedule(r, ControlCall.PAUSE.toMillis(), TimeUnit.MILLISECONDS), ControlCall.ATTEMPTS);
    }

    /**
     * A message of this driver's session with {@code p}, of kind {@code kind}, sent as
     * {@link #call(String, Member, Supplier)} says while {@code p} is a peer: once it is none (its member
     * left, its lane ended, a newer session replaced it), nothing is sent, and the call fails.
     */
    CompletableFuture<byte[]> call(String executor, Peer p, byte kind, byte[] body) {
        return call(executor, p.member(), () -> isMember(p) ? seal(kind, body, p) : null);
    }

    /** Sends a sealed envelope to {@code m} through the executor {@code executor}, once; its answer, or why none came. */
    private CompletableFuture<byte[]> send(String executor, Member m, byte[] sealed) {
        CompletableFuture<byte[]> f = new CompletableFuture<>();
        try {
            // Hazelcast's futures are CompletableFutures; its own whenComplete hands the callback to a thread
            // of its default executor, which on one or two cores is a new thread for every answer
            Future<byte[]> call = client.getExecutorService(executor).submitToMember(new Parcel(sealed), m);
            if (!(call instanceof CompletionStage<?> stage)) {
                throw new IllegalStateException("Hazelcast returned a " + call.getClass().getName() + ", not a stage");
            }
            stage.whenCompleteAsync((response, error) -> {
                if (error != null) {
                    f.completeExceptionally(error);
                } else {
                    f.complete((byte[]) response);
                }
            }, this::takeAnswer);
        } catch (RuntimeException e) {
            f.completeExceptionally(e);
        }
        return f;
    }

    /** Runs {@code r} on the answers' thread; once that is shut down (the driver closed), here. */
    private void takeAnswer(Runnable r) {
        try {
            answers.execute(r);
        } catch (RejectedExecutionException e) {
            r.run();
        }
    }

    /** Whether {@code p} is still a peer, and a member of the cluster. */
    boolean isMember(Peer p) {
        return peers.get(p.member().getUuid()) == p && client.getCluster().getMembers().contains(p.member());
    }

    /** The peers now. */
    public List<Peer> peers() {
        return peers.list();
    }

    /** Why the members that take no work were refused, by address; empty if none was. */
    public String refusals() {
        return String.join("; ", new TreeMap<>(Map.copyOf(refused)).values());
    }

    public boolean isClosed() {
        return closed;
    }

    /** Waits until there are at least {@code n} peers; false if {@code timeout} passed first, or the driver closed. */
    public boolean awaitPeers(int n, Duration timeout) throws InterruptedException {
        return peers.await(n, timeout);
    }

    /** A pool's engine hears of the peers, and takes its workers' links, from now on; the present peers first. */
    void register(ClusterEngine engine) {
        engines.put(engine.poolId(), engine);
        peers.list().forEach(engine::peerAdded);
    }

    void unregister(ClusterEngine engine) {
        engines.remove(engine.poolId(), engine);
    }

    /**
     * Where the members' workers reach this driver from {@code local} (the address its lane to their member
     * goes out from): a listener there, opened at first need, on the port of the system property
     * {@value #LINK_PORT_PROPERTY} (for a firewall), else on a free one.
     *
     * @throws org.multiprocessing4j.ProcessError if it cannot listen there
     */
    private String links(java.net.InetAddress local) {
        int port = Integer.getInteger(LINK_PORT_PROPERTY, 0);
        String address = links.computeIfAbsent(local, a -> AuthServer.serve(Address.describe(
                new java.net.InetSocketAddress(a, port)), authkey, "mp4j-cluster-links", "mp4j-cluster-link", this::linked))
                .address();
        if (closed) { // close() may have closed the listeners before this one was opened
            links.values().forEach(AuthServer::close);
        }
        return address;
    }

    /** The system property that fixes the port the members' workers connect to; unset or 0: a free port. */
    public static final String LINK_PORT_PROPERTY = "multiprocessing4j.cluster.driverPort";

    /**
     * A worker connected (on a thread of its own): once its hello is checked, its pool's engine runs its
     * tasks on it until it ends. A link that is no current peer's worker's, or no live pool's, is closed.
     */
    private void linked(SocketTransport transport) {
        transport.parkWithoutSpinning(); // a spinning reader would take the CPU of the workers on this machine
        Link.Hello hello;
        try {
            hello = Link.readHello(transport, peers::get);
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "refused a worker's link: " + e);
            transport.close();
            return;
        }
        ClusterEngine engine = engines.get(hello.worker().pool());
        if (engine == null || closed) {
            transport.close(); // a pool that ended: the worker ends with its link
            return;
        }
        engine.linked(new Link(transport, hello));
    }

    /** Sends a session's message to {@code p} on its lane; the answer, or {@link Lane.Closed}. */
    CompletableFuture<byte[]> onLane(Peer p, byte kind, byte[] body) {
        return p.lane().call(seal(kind, body, p));
    }

    /** A message of this driver's session with {@code p}, numbered and sealed; its body encrypted if the session's are. */
    byte[] seal(byte kind, byte[] body, Peer p) {
        long n = seq.incrementAndGet();
        return Envelope.sealForSession(kind, session, n, p.key(), p.cipherKey(), body.length, out -> out.put(body));
    }

    /**
     * An answer of {@code p}, checked with the session's key, its body decrypted if the session's are.
     *
     * @throws AuthenticationError if it is not {@code p}'s
     */
    static Envelope opened(byte[] reply, Peer p) {
        return Envelope.openInPlace(reply, p.key()).decrypted(p.cipherKey()).envelope();
    }

    /**
     * Terminates every pool of this driver, tells every peer that this driver's session ends (their
     * workers for it are killed), and leaves the cluster. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (ClusterEngine e : List.copyOf(engines.values())) {
            e.terminate();
        }
        List<CompletableFuture<byte[]>> byes = new ArrayList<>();
        List<Peer> all = peers.close();
        if (!disconnected) { // else no BYE would arrive: the members end the session when they see the driver gone
            for (Peer p : all) {
                // no peer any more (peers.close()), and still told
                byes.add(call(HazelcastSetup.WAITS, p.member(), () -> seal(ClusterWire.BYE, new byte[0], p)));
            }
        }
        try {
            CompletableFuture.allOf(byes.toArray(CompletableFuture[]::new)).get(BYE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // a member that does not answer ends the session when it sees this driver gone
        }
        all.forEach(p -> p.lane().close());
        admitting.forEach(Lane::close);
        links.values().forEach(AuthServer::close);
        client.shutdown();
        answers.shutdown();
        greetings.shutdown();
        resends.shutdown();
    }
}
