package org.multiprocessing4j.cluster.internal;

import com.hazelcast.core.HazelcastInstanceNotActiveException;
import com.hazelcast.core.MemberLeftException;
import com.hazelcast.spi.exception.TargetDisconnectedException;
import com.hazelcast.spi.exception.TargetNotMemberException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.multiprocessing4j.AuthenticationError;
import org.multiprocessing4j.ProcessError;
import org.multiprocessing4j.internal.pool.EngineBase;
import org.multiprocessing4j.internal.pool.Relay;
import org.multiprocessing4j.internal.pool.Task;
import org.multiprocessing4j.internal.pool.Window;

/**
 * A {@code Pool}'s tasks on the members of a cluster (the driver's side). Each member that welcomed the
 * driver ({@link Driver.Peer}) is a place with worker slots: the pool opens there a local pool of that
 * many worker JVMs, and sends a member tasks whenever it has room: a window of about a millisecond of its
 * work by its recent pace ({@link Window}), at least {@value #LEAST_PER_SLOT} per slot (the task a worker
 * runs and the next, there when it is free), at most {@value #MOST_PER_SLOT}, and never more than its
 * slots' share of the tasks there are. So a slow member or a slow task holds up no other, and tiny tasks
 * do not wait for a round trip to the member each. A
 * task travels as the message its worker reads, and its answer comes back as the worker wrote it: the
 * member reads neither.
 *
 * <p>The ledger: every unfinished task is either pending (in order) or in flight at one place, with the
 * number of its attempt. When a member goes (killed, cut off, leaving, or refusing the pool), the tasks in
 * flight there go back to the front of the queue and run elsewhere; that does not count against the
 * pool's retries, which the member's own pool spends on worker deaths the task caused. The slots a
 * capped pool lost are offered to the members it did not use. The first result of a task wins, from
 * whichever attempt; any later answer is dropped, and an attempt's failure counts only while that
 * attempt is the task's current one. So each task is reported once.
 *
 * <p>Thread-safe; jobs are called with no lock held, from Hazelcast's threads.
 */
public final class ClusterEngine extends EngineBase {
    private static final System.Logger LOG = System.getLogger("org.multiprocessing4j.cluster");
    private static final AtomicInteger POOL_IDS = new AtomicInteger();
    /**
     * Tasks in flight per worker slot of a member, at least: the one its worker runs and the next, already
     * there when the worker is free (a round trip to the member is not waited for).
     */
    static final int LEAST_PER_SLOT = 2;
    /** Tasks in flight per worker slot of a member, at most (tiny tasks). */
    static final int MOST_PER_SLOT = 64;

    /** A member's worker slots for this pool, and the tasks in flight there. Guarded by the engine's lock. */
    private static final class Place {
        final Driver.Peer peer;
        final int slots;
        boolean open;                                      // the member has its pool
        boolean gone;                                      // it left, or cannot take work
        final Set<Task> inFlight = new LinkedHashSet<>();
        long headSince;                                    // when it last answered, or was sent work while idle
        long paceNanos;                                    // a moving average of the time between its answers

        Place(Driver.Peer peer, int slots) {
            this.peer = peer;
            this.slots = slots;
        }

        String name() {
            return peer.address() + " (pid " + peer.pid() + ")";
        }
    }

    /** Where an unfinished task is: pending (place null), or in flight at a place, its attempt-th time. */
    private static final class Entry {
        Place place;
        int attempt;
    }

    private record Send(Place place, Task task, int attempt) {
    }

    private final Driver driver;
    private final int poolId = POOL_IDS.incrementAndGet();
    private final int cap;
    private final int maxTasksPerChild;
    private final int retries;
    private final long timeoutNanos;
    private final byte[] initializer;
    private final ArrayDeque<Task> pending = new ArrayDeque<>();     // guarded
    private final Map<Task, Entry> ledger = new HashMap<>();        // guarded: every unfinished task
    private final Map<UUID, Place> places = new LinkedHashMap<>();  // guarded: by member UUID
    private int allotted;                                          // guarded: slots of the places
    private boolean stopping;                                      // guarded: STOPs sent
    private final Set<Place> stopsAwaited = new HashSet<>();        // guarded: STOPs not answered yet
    private final Set<Driver.Peer> declined = Collections.newSetFromMap(new IdentityHashMap<>()); // guarded: refused the pool

    /**
     * @param cap the most worker slots the pool uses (its {@code processes}), or {@code Integer.MAX_VALUE}
     * @param size what the pool reports as its size (chunks of a map are cut for it)
     * @param initializer serialized, or empty for none
     */
    public ClusterEngine(Driver driver, int cap, int size, byte[] initializer, int maxTasksPerChild, Duration taskTimeout,
                         int retries) {
        super(size);
        this.driver = driver;
        this.cap = cap;
        this.initializer = initializer;
        this.maxTasksPerChild = maxTasksPerChild;
        this.timeoutNanos = taskTimeout == null ? 0 : taskTimeout.toNanos();
        this.retries = retries;
        driver.register(this);
    }

    @Override
    public boolean serializes() {
        return true;
    }

    @Override
    public Task mapTask(Job job, int index, int fnId, Object fn, byte[] fnBytes, List<?> args, Duration timeout) {
        return Task.ofChunk(newTaskId(), job, index, fnId, fnBytes, args, nanos(timeout));
    }

    @Override
    public Task callTask(Job job, int index, Callable<?> callable, byte[] bytes, Duration timeout) {
        return Task.ofCall(newTaskId(), job, index, bytes, nanos(timeout));
    }

    /** A task's own deadline; 0 for the pool's, which the member's pool applies. */
    private static long nanos(Duration timeout) {
        return timeout == null ? 0 : Math.max(1, timeout.toNanos());
    }

    // ---- places ------------------------------------------------------------------------------------

    /**
     * A member welcomed the driver: the pool opens there with as many of its slots as the cap leaves,
     * unless that peer refused this pool before (a member that is leaving). A place of an older peer of the
     * same member (one that is no peer any more, whose end this engine has not heard of yet) goes first.
     */
    void peerAdded(Driver.Peer peer) {
        Place stale;
        synchronized (lock) {
            if (declined.contains(peer)) {
                return;
            }
            Place held = places.get(peer.member().getUuid());
            stale = held != null && held.peer != peer && driver.isMember(peer) && !driver.isMember(held.peer) ? held : null;
        }
        if (stale != null) {
            placeGone(stale);
        }
        Place place;
        synchronized (lock) {
            boolean wanted = state == State.RUNNING || (state == State.SHUTDOWN && !ledger.isEmpty());
            if (!wanted || places.containsKey(peer.member().getUuid()) || !driver.isMember(peer)) {
                return;
            }
            int slots = Math.min(peer.slots(), cap - allotted);
            if (slots <= 0) {
                return;
            }
            allotted += slots;
            place = new Place(peer, slots);
            places.put(peer.member().getUuid(), place);
        }
        byte[] open = ClusterWire.open(new ClusterWire.Open(poolId, place.slots, maxTasksPerChild, retries, timeoutNanos,
                initializer));
        // sent again while the call gets no answer: the member takes an OPEN of a pool it has as done
        driver.call(HazelcastSetup.CONTROL, peer, ClusterWire.OPEN, open).whenComplete((reply, error) -> {
            String refusal = error != null ? "no answer: " + error : refusal(reply, peer, ClusterWire.OK);
            boolean gone;
            synchronized (lock) {
                gone = place.gone;
            }
            if (refusal != null && (gone || !driver.isMember(peer))) {
                placeGone(place); // the peer went meanwhile (its end frees the place): no refusal of this pool
                return;
            }
            if (refusal != null) {
                boolean running;
                synchronized (lock) {
                    declined.add(peer); // offered again, it would refuse again: a loop between members that leave
                    running = state == State.RUNNING;
                }
                LOG.log(running ? System.Logger.Level.WARNING : System.Logger.Level.DEBUG,
                        "the pool could not open on " + place.name() + ": " + refusal);
                placeGone(place);
                return;
            }
            synchronized (lock) {
                place.open = true;
            }
            dispatch();
        });
    }

    /** A peer is gone (its member left, or a newer session replaced it): what was in flight there runs elsewhere. */
    void peerGone(Driver.Peer peer) {
        Place place;
        synchronized (lock) {
            place = places.get(peer.member().getUuid());
        }
        if (place != null && place.peer == peer) { // not the place of a newer peer of the same member
            placeGone(place);
        }
    }

    /**
     * A member is gone for this pool (it left, or cannot take its work): what was in flight there goes back
     * to the front of the queue, and the slots it held are offered to the members not used yet.
     */
    private void placeGone(Place place) {
        synchronized (lock) {
            if (place.gone) {
                return;
            }
            place.gone = true;
            places.remove(place.peer.member().getUuid(), place);
            allotted -= place.slots;
            List<Task> back = new ArrayList<>(place.inFlight);
            for (int i = back.size() - 1; i >= 0; i--) {
                requeue(place, back.get(i));
            }
            stopsAwaited.remove(place);
            lock.notifyAll();
        }
        for (Driver.Peer p : driver.peers()) {
            if (p != place.peer) {
                peerAdded(p); // a capped pool takes the slots of a member it did not use, or a member's new session
            }
        }
        dispatch();
    }

    /** The cluster is gone for this driver: everything unfinished fails with {@code why}. */
    void lost(ProcessError why) {
        List<Task> dropped;
        synchronized (lock) {
            state = State.TERMINATED;
            dropped = dropAll();
            places.clear();
            stopping = true;
            stopsAwaited.clear();
            lock.notifyAll();
        }
        dropped.forEach(t -> t.job().failed(t, why));
        driver.unregister(this);
    }

    // ---- submitting --------------------------------------------------------------------------------

    @Override
    public void submit(List<Task> tasks) {
        synchronized (lock) {
            checkRunning();
            for (Task t : tasks) {
                ledger.put(t, new Entry());
                pending.addLast(t);
            }
        }
        dispatch();
    }

    /**
     * Sends pending tasks to the places with room, one per place in turn: first to every free worker
     * slot, so that work is spread over the members; then each slot's next task, so that no worker waits
     * for a round trip.
     */
    private void dispatch() {
        List<Send> sends = new ArrayList<>();
        synchronized (lock) {
            // each place's window holds while this runs: the lock keeps its pace and the ledger as they are
            int share = allotted <= 0 ? LEAST_PER_SLOT : (ledger.size() + allotted - 1) / allotted;
            int deepest = 0;
            for (Place p : places.values()) {
                if (p.open && !p.gone) {
                    deepest = Math.max(deepest, (window(p.paceNanos, p.slots, share) + p.slots - 1) / p.slots);
                }
            }
            long now = System.nanoTime();
            for (int depth = 1; depth <= deepest && !pending.isEmpty(); depth++) {
                boolean more = true;
                while (more && !pending.isEmpty()) {
                    more = false;
                    for (Place p : places.values()) {
                        if (!p.open || p.gone
                                || p.inFlight.size() >= Math.min(depth * p.slots, window(p.paceNanos, p.slots, share))) {
                            continue;
                        }
                        Task t = nextPending();
                        if (t == null) {
                            break;
                        }
                        Entry e = ledger.get(t);
                        e.place = p;
                        e.attempt++;
                        if (p.inFlight.isEmpty()) {
                            p.headSince = now;
                        }
                        p.inFlight.add(t);
                        sends.add(new Send(p, t, e.attempt));
                        more = true;
                    }
                }
            }
        }
        Map<Place, List<Send>> byPlace = new LinkedHashMap<>(); // what goes to one member goes in one write
        for (Send s : sends) {
            byPlace.computeIfAbsent(s.place(), p -> new ArrayList<>()).add(s);
        }
        byPlace.values().forEach(this::send);
        stopIfDone();
    }

    /**
     * The tasks in flight for a place of {@code slots} worker slots whose answers come every
     * {@code paceNanos} (0: not measured yet), when each slot's share of the unfinished tasks is
     * {@code share}: a window of its work ({@link Window}), {@value #LEAST_PER_SLOT} to
     * {@value #MOST_PER_SLOT} per slot, and no more than its slots' share.
     */
    static int window(long paceNanos, int slots, int share) {
        int least = LEAST_PER_SLOT * slots;
        return Math.min(Window.size(paceNanos, least, MOST_PER_SLOT * slots), Math.max(least, share * slots));
    }

    /** The first pending task still to run (those finished or cancelled meanwhile are dropped). Caller holds the lock. */
    private Task nextPending() {
        for (Task t; (t = pending.pollFirst()) != null; ) {
            Entry e = ledger.get(t);
            if (e != null && e.place == null) {
                return t;
            }
        }
        return null;
    }

    /** Sends tasks to one place, on its lane; each answer, or why none came, to {@link #answered}. */
    private void send(List<Send> group) {
        Driver.Peer peer = group.get(0).place().peer;
        List<Long> seqs = new ArrayList<>(group.size());
        List<byte[]> sealed = new ArrayList<>(group.size());
        for (Send s : group) {
            Task t = s.task();
            ClusterWire.Run run = new ClusterWire.Run(poolId, t.id(), t.fnId(), t.fnBytes(), t.timeoutNanos(),
                    ByteBuffer.wrap(t.message()));
            Driver.Sealed sent = driver.seal(ClusterWire.RUN, ClusterWire.runLength(run), out -> ClusterWire.writeRun(out, run),
                    peer);
            seqs.add(sent.seq());
            sealed.add(sent.bytes());
        }
        List<CompletableFuture<byte[]>> answers = peer.lane().call(sealed); // Lane.Closed: the member is lost
        for (int i = 0; i < group.size(); i++) {
            Send s = group.get(i);
            long seq = seqs.get(i);
            answers.get(i).whenComplete((reply, error) -> answered(s, seq, reply, error));
        }
    }

    /** A member's answer to a RUN, or why none came. */
    private void answered(Send s, long seq, byte[] reply, Throwable error) {
        Place p = s.place();
        if (error != null) {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            if (memberLost(cause) || !driver.isMember(p.peer)) {
                placeGone(p); // its tasks run elsewhere
            } else if (isCurrent(s)) {
                fail(s.task(), new ProcessError("the member " + p.name() + " could not run the task: " + cause));
            }
            dispatch();
            return;
        }
        try {
            if (Envelope.kindOf(reply) == ClusterWire.REFUSED) {
                // unsigned: not to be believed about the task, only that this member will not run it
                LOG.log(System.Logger.Level.WARNING, "the member " + p.name() + " refused a task of the pool: "
                        + Envelope.openRefusal(reply).reason() + "; the pool runs its tasks elsewhere");
                placeGone(p);
            } else {
                Envelope.Opened e = Driver.openedInPlace(reply, p.peer); // the worker's answer is read where it came
                if (e.seq() != seq) {
                    throw new IOException("an answer to another message");
                }
                switch (e.kind()) {
                    case ClusterWire.LEAVING -> placeGone(p);
                    case ClusterWire.ANSWER -> answer(s, ClusterWire.readAnswer(e.body()));
                    default -> throw new IOException("the answer " + (char) e.kind() + " to a task");
                }
            }
        } catch (IOException | AuthenticationError e) {
            LOG.log(System.Logger.Level.WARNING, "the member " + p.name() + " sent a corrupt answer (" + e
                    + "); the pool runs its tasks elsewhere");
            placeGone(p);
        }
        dispatch();
    }

    /** A worker's answer: the first result of a task wins; a failure counts only for the current attempt. */
    private void answer(Send s, ClusterWire.Answer a) throws IOException {
        Task t = s.task();
        if (a.task() != t.id()) {
            throw new IOException("the answer of task " + a.task() + " to task " + t.id());
        }
        Relay.Answer outcome;
        try {
            outcome = Relay.read(a.message());
        } catch (IOException | ClassNotFoundException | RuntimeException e) {
            if (isCurrent(s)) {
                fail(t, new ProcessError("the result of the task cannot be read here: " + e));
            }
            return;
        }
        if ((outcome.isResults() || isCurrent(s)) && takeOff(t)) {
            outcome.deliver(t);
        }
    }

    /** Whether {@code s} is its task's attempt in flight now. */
    private boolean isCurrent(Send s) {
        synchronized (lock) {
            Entry e = ledger.get(s.task());
            return e != null && e.place == s.place() && e.attempt == s.attempt();
        }
    }

    /** Whether a call failed because its member went, or this driver lost its connection (or lane) to it. */
    private static boolean memberLost(Throwable t) {
        return t instanceof Lane.Closed || t instanceof MemberLeftException || t instanceof TargetDisconnectedException
                || t instanceof TargetNotMemberException || t instanceof HazelcastInstanceNotActiveException;
    }

    /** Takes a task off the ledger, once: true if it was on it (it is to be reported now). */
    private boolean takeOff(Task t) {
        synchronized (lock) {
            Entry e = ledger.remove(t);
            if (e == null) {
                return false;
            }
            if (e.place != null && e.place.inFlight.remove(t)) {
                long now = System.nanoTime();
                e.place.paceNanos = Window.nextPace(e.place.paceNanos, now - e.place.headSince);
                e.place.headSince = now;
            }
            return true;
        }
    }

    private void fail(Task t, Throwable error) {
        if (takeOff(t)) {
            t.job().failed(t, error);
        }
    }

    /** A task in flight at {@code place} goes back to the front of the queue. Caller holds the lock. */
    private void requeue(Place place, Task t) {
        place.inFlight.remove(t);
        Entry e = ledger.get(t);
        if (e != null && e.place == place) {
            e.place = null;
            pending.addFirst(t);
        }
    }

    @Override
    public void cancel(List<Task> tasks, boolean kill) {
        List<Send> cancels = new ArrayList<>();
        synchronized (lock) {
            for (Task t : tasks) {
                Entry e = ledger.remove(t);
                if (e == null) {
                    continue;
                }
                if (e.place == null) {
                    pending.remove(t);
                } else {
                    e.place.inFlight.remove(t);
                    cancels.add(new Send(e.place, t, e.attempt));
                }
            }
        }
        for (Send c : cancels) {
            driver.call(HazelcastSetup.CONTROL, c.place().peer, ClusterWire.CANCEL,
                    ClusterWire.cancel(new ClusterWire.Cancel(poolId, c.task().id(), kill)));
        }
        dispatch();
    }

    // ---- lifecycle ---------------------------------------------------------------------------------

    @Override
    public void shutdown() {
        markShutdown();
        stopIfDone();
    }

    /** Once shut down and every task is done, the members' pools are shut down. */
    private void stopIfDone() {
        List<Place> toStop;
        synchronized (lock) {
            if (state != State.SHUTDOWN || stopping || !ledger.isEmpty()) {
                return;
            }
            toStop = stopAll();
        }
        sendStops(toStop, false);
    }

    @Override
    public void terminate() {
        List<Task> dropped;
        List<Place> toStop;
        synchronized (lock) {
            boolean again = state == State.TERMINATED;
            state = State.TERMINATED;
            lock.notifyAll();
            dropped = dropAll();
            toStop = again ? List.of() : stopAll(); // after a shutdown's STOPs too: this one kills
        }
        sendStops(toStop, true);
        CancellationException terminated = new CancellationException("the pool was terminated");
        dropped.forEach(t -> t.job().failed(t, terminated));
    }

    /** Every unfinished task, taken off the ledger. Caller holds the lock. */
    private List<Task> dropAll() {
        List<Task> dropped = new ArrayList<>(ledger.keySet());
        ledger.clear();
        pending.clear();
        for (Place p : places.values()) {
            p.inFlight.clear();
        }
        return dropped;
    }

    /** Marks the pool as stopping; the places to tell, each awaited. Caller holds the lock. */
    private List<Place> stopAll() {
        stopping = true;
        List<Place> toStop = new ArrayList<>();
        for (Place p : places.values()) {
            if (!p.gone) {
                toStop.add(p);
            }
        }
        stopsAwaited.addAll(toStop);
        lock.notifyAll();
        return toStop;
    }

    /** Tells each place to stop its pool; it answers once that pool's workers have ended. */
    private void sendStops(List<Place> toStop, boolean terminate) {
        for (Place p : toStop) {
            driver.call(HazelcastSetup.WAITS, p.peer, ClusterWire.STOP, ClusterWire.stop(new ClusterWire.Stop(poolId, terminate)))
                    .whenComplete((r, e) -> {
                        synchronized (lock) {
                            stopsAwaited.remove(p); // its pool's workers have ended (or it is gone)
                            lock.notifyAll();
                        }
                    });
        }
        synchronized (lock) {
            if (stopping) {
                driver.unregister(this);
            }
        }
    }

    /** Every member's pool was told to stop, and answered (or left). Caller holds the lock. */
    @Override
    protected boolean workersGone() {
        return stopping && stopsAwaited.isEmpty();
    }

    /** The pids of the workers on every member (each on its own host), asked of each member now. */
    @Override
    public List<Long> workerPids() {
        List<CompletableFuture<byte[]>> asks = new ArrayList<>();
        List<Place> asked = new ArrayList<>();
        synchronized (lock) {
            for (Place p : places.values()) {
                if (p.open && !p.gone) {
                    asked.add(p);
                }
            }
        }
        for (Place p : asked) {
            asks.add(driver.call(HazelcastSetup.CONTROL, p.peer, ClusterWire.PIDS, ClusterWire.pool(poolId)));
        }
        List<Long> pids = new ArrayList<>();
        Iterator<Place> places = asked.iterator();
        for (CompletableFuture<byte[]> ask : asks) {
            Place p = places.next();
            try {
                byte[] reply = ask.get(Driver.CONTROL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                if (Envelope.kindOf(reply) != ClusterWire.REFUSED) {
                    Envelope e = Driver.opened(reply, p.peer); // opened once: checked and decrypted
                    if (e.kind() == ClusterWire.PIDLIST) {
                        pids.addAll(ClusterWire.readPidList(e.body()));
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (ExecutionException | TimeoutException | IOException | AuthenticationError e) {
                // a member that does not answer, or not as itself, has no workers to show
            }
        }
        return pids;
    }

    /** Null if {@code reply} is a signed envelope of kind {@code expected}; else what it is instead. */
    private static String refusal(byte[] reply, Driver.Peer peer, byte expected) {
        try {
            if (Envelope.kindOf(reply) == ClusterWire.REFUSED) {
                return Envelope.openRefusal(reply).reason();
            }
            Envelope e = Driver.opened(reply, peer);
            return e.kind() == expected ? null : "answered " + (char) e.kind();
        } catch (IOException | AuthenticationError e) {
            return String.valueOf(e);
        }
    }
}
