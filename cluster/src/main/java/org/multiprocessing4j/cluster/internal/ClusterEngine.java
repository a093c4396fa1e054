package org.multiprocessing4j.cluster.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.multiprocessing4j.AuthenticationError;
import org.multiprocessing4j.ProcessError;
import org.multiprocessing4j.WorkerLostException;
import org.multiprocessing4j.internal.launch.ExitStatus;
import org.multiprocessing4j.internal.pool.EngineBase;
import org.multiprocessing4j.internal.pool.RemoteWorkers;
import org.multiprocessing4j.internal.pool.Task;
import org.multiprocessing4j.internal.pool.Window;

/**
 * A {@code Pool}'s tasks on the members of a cluster (the driver's side). Each member that welcomed the
 * driver ({@link Driver.Peer}) is a place with worker slots: the pool opens there as many worker JVMs
 * ({@link WorkerHost}), which connect back to this driver ({@link Link}). The pool sends each worker its
 * tasks and reads its answers itself, as a local pool does its workers': a window of about a millisecond
 * of the worker's work by its recent pace ({@link Window}), at least {@value #LEAST_IN_FLIGHT} (the task it
 * runs and the next, there when it is free), at most {@value #MOST_IN_FLIGHT}, and never more than its share
 * of the tasks there are. So a slow member, worker or task holds up no other, and no member handles a
 * task's bytes.
 *
 * <p>The ledger: every unfinished task is either pending (in order) or in flight on one worker, which runs
 * its tasks in the order sent: the first runs, and its deadline counts from when it began. When a worker's
 * link ends, what became of the worker decides what becomes of its tasks:
 * <ul>
 *   <li>its member went (killed, cut off, leaving, or refusing the pool), or the worker lost its link and
 *       ended for that: its tasks go back to the front of the queue and run elsewhere, which does not count
 *       against the pool's retries;
 *   <li>it ended under its task, as its member tells ({@code END}): the task counts a death, runs again
 *       while it has retries left, then fails with {@link WorkerLostException}; the tasks behind it go back
 *       to the queue;
 *   <li>its task ran past its deadline: this pool had the worker killed ({@code KILL}); the task fails with
 *       {@link TimeoutException}, the tasks behind it go back to the queue.
 * </ul>
 * The member replaces a worker that ended. Each task is reported once.
 *
 * <p>Thread-safe; jobs are called with no lock held, from the links' threads (a task's answer) and the
 * lanes' and Hazelcast's (a worker's or a member's end).
 */
public final class ClusterEngine extends EngineBase {
    private static final System.Logger LOG = System.getLogger("org.multiprocessing4j.cluster");
    private static final AtomicInteger POOL_IDS = new AtomicInteger();
    /** Tasks in flight per worker, at least: the one it runs and the next, there when it is free. */
    static final int LEAST_IN_FLIGHT = 2;
    /** Tasks in flight per worker, at most (tiny tasks). */
    static final int MOST_IN_FLIGHT = 64;
    /** How long an idle worker's reader waits before it looks again: a task with a deadline may come. */
    private static final long IDLE_LOOK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    /** A member's worker slots for this pool, and its workers. Guarded by the engine's lock. */
    private static final class Place {
        final Driver.Peer peer;
        final int slots;
        boolean gone;      // it left, or cannot take work
        boolean leaving;   // it takes no new work (the member leaves): its workers finish theirs, then quit
        boolean stopSent;
        final List<Worker> workers = new ArrayList<>(); // linked; the dead ones until what they ran is settled

        Place(Driver.Peer peer, int slots) {
            this.peer = peer;
            this.slots = slots;
        }

        String name() {
            return peer.address() + " (pid " + peer.pid() + ")";
        }
    }

    /** A worker of a place, linked to this driver. Fields guarded by the engine's lock, but as marked. */
    private static final class Worker {
        final Place place;
        final Link link;
        final int number;
        final long pid;
        final Object sendLock = new Object();           // one sender at a time
        final ArrayDeque<Task> inFlight = new ArrayDeque<>(); // in the order sent: the first runs
        final ArrayDeque<Task> outbox = new ArrayDeque<>();   // assigned, not yet sent
        int sent;                   // tasks ever assigned here
        int lastFn = -1;            // the function it holds, once what is sent arrives
        long headSince;             // when the first in flight began (or was sent)
        long paceNanos;             // a moving average of the time a task takes here
        boolean quitSent;
        boolean quitWritten;
        boolean dead;               // its link ended
        boolean killed;             // this pool had it killed
        Task timedOut;              // the task that ran past its deadline here

        Worker(Place place, Link link, int number, long pid) {
            this.place = place;
            this.link = link;
            this.number = number;
            this.pid = pid;
        }

        String name() {
            return "ClusterPoolWorker-" + number + " (pid " + pid + ") of the member " + place.peer.address();
        }
    }

    /** An unfinished task: where it is in flight (null: pending), and the deaths of workers it caused. */
    private static final class Entry {
        Worker worker;
        int deaths;
    }

    private final Driver driver;
    private final int poolId = POOL_IDS.incrementAndGet();
    private final int cap;
    private final int maxTasksPerChild;
    private final int retries;
    private final long timeoutNanos;
    private final byte[] initializer;
    private final ArrayDeque<Task> pending = new ArrayDeque<>();     // guarded: those not on the ledger are skipped
    private final Map<Task, Entry> ledger = new HashMap<>();        // guarded: every unfinished task
    private final Map<UUID, Place> places = new LinkedHashMap<>();  // guarded: by member UUID
    private int allotted;                                          // guarded: slots of the places
    private int nextWorker;                                        // guarded: where the next assignment starts
    private boolean stopping;                                      // guarded: STOPs sent
    private String broken;                                         // guarded: why the last place could not run the pool
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

    /** This pool's number among the driver's: its workers name it when they connect. */
    int poolId() {
        return poolId;
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

    /** A task's own deadline; 0 for the pool's. */
    private static long nanos(Duration timeout) {
        return timeout == null ? 0 : Math.max(1, timeout.toNanos());
    }

    /** A task's deadline: its own, else the pool's; 0 for none. */
    private long deadlineOf(Task t) {
        return t.timeoutNanos() > 0 ? t.timeoutNanos() : timeoutNanos;
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
        byte[] open = ClusterWire.open(new ClusterWire.Open(poolId, place.slots, maxTasksPerChild, initializer,
                peer.links()));
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
                decline(place, "the pool could not open on " + place.name() + ": " + refusal);
                return;
            }
            watch(place);
            dispatch();
        });
    }

    /** Asks the place's member to say when the pool can run there no more, and acts on its answer. */
    private void watch(Place place) {
        driver.onLane(place.peer, ClusterWire.WATCH, ClusterWire.pool(poolId)).whenComplete((reply, error) -> {
            if (error != null) {
                return; // the lane ended: the peer's end frees the place
            }
            try {
                if (Envelope.kindOf(reply) == ClusterWire.REFUSED) {
                    return; // the session ended there: so does the peer
                }
                Envelope e = Driver.opened(reply, place.peer);
                switch (e.kind()) {
                    case ClusterWire.BROKEN -> decline(place, ClusterWire.readBroken(e.body()));
                    case ClusterWire.LEAVING -> {
                        synchronized (lock) {
                            place.leaving = true;
                        }
                        dispatch();
                    }
                    default -> { // OK: the pool was stopped there
                    }
                }
            } catch (IOException | AuthenticationError e) {
                LOG.log(System.Logger.Level.WARNING, "the member " + place.name() + " sent a corrupt answer: " + e);
            }
        });
    }

    /**
     * The place cannot run the pool ({@code why}): it is not offered the pool again, and its tasks run
     * elsewhere; if no member is left to run them, they fail with {@code why}.
     */
    private void decline(Place place, String why) {
        boolean running;
        synchronized (lock) {
            declined.add(place.peer); // offered again, it would refuse again: a loop between members that leave
            running = state == State.RUNNING;
        }
        LOG.log(running ? System.Logger.Level.WARNING : System.Logger.Level.DEBUG, why);
        if (driver.isMember(place.peer)) { // its workers, if it started any, go: none of them is taken
            driver.call(HazelcastSetup.WAITS, place.peer, ClusterWire.STOP,
                    ClusterWire.stop(new ClusterWire.Stop(poolId, true)));
        }
        placeGone(place);
        List<Task> failed = List.of();
        synchronized (lock) {
            if (places.isEmpty()) { // no member left to run the pool: its work fails, as a local pool's that cannot start workers
                broken = why;
                failed = dropAll();
            }
        }
        ProcessError error = new ProcessError(why);
        failed.forEach(t -> t.job().failed(t, error));
        stopIfDone();
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
     * A member is gone for this pool (it left, or cannot take its work): its workers' links are closed,
     * what was in flight there goes back to the front of the queue, and the slots it held are offered to
     * the members not used yet.
     */
    private void placeGone(Place place) {
        List<Worker> workers;
        synchronized (lock) {
            if (place.gone) {
                return;
            }
            place.gone = true;
            places.remove(place.peer.member().getUuid(), place);
            allotted -= place.slots;
            workers = new ArrayList<>(place.workers);
            place.workers.clear();
            List<Task> back = new ArrayList<>();
            for (Worker w : workers) {
                w.dead = true;
                back.addAll(w.inFlight);
                w.inFlight.clear();
                w.outbox.clear();
            }
            back.sort(Comparator.comparingLong(Task::id)); // in the order they were submitted
            for (int i = back.size() - 1; i >= 0; i--) {
                requeue(back.get(i));
            }
            stopsAwaited.remove(place);
            lock.notifyAll();
        }
        workers.forEach(w -> w.link.close());
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
        List<Worker> workers = new ArrayList<>();
        synchronized (lock) {
            state = State.TERMINATED;
            dropped = dropAll();
            for (Place p : places.values()) {
                workers.addAll(p.workers);
            }
            places.clear();
            stopping = true;
            stopsAwaited.clear();
            lock.notifyAll();
        }
        workers.forEach(w -> w.link.close());
        dropped.forEach(t -> t.job().failed(t, why));
        driver.unregister(this);
    }

    // ---- workers -----------------------------------------------------------------------------------

    /**
     * A worker of a place connected: it takes tasks from now on, and this thread reads its answers until
     * its link ends. A worker of no place of this pool (its member gone meanwhile), or one that comes once
     * the pool stops, is turned away.
     */
    void linked(Link link) {
        Link.Hello h = link.hello();
        Worker w = null;
        synchronized (lock) {
            Place p = places.get(h.peer().member().getUuid());
            if (p != null && p.peer == h.peer() && !p.gone && !stopping && state != State.TERMINATED) {
                w = new Worker(p, link, h.worker().worker(), h.worker().pid());
                p.workers.add(w);
            }
        }
        if (w == null) {
            link.close(); // the worker ends with its link; its member, if the pool is there, replaces it
            return;
        }
        dispatch();
        read(w);
    }

    /** A worker's reader: its answers as they come, its tasks' deadlines, and the end of its link. */
    private void read(Worker w) {
        try {
            while (true) {
                long waitNanos;
                boolean kill = false;
                synchronized (lock) {
                    waitNanos = waitNanos(w, System.nanoTime());
                    if (w.timedOut != null && !w.killed) {
                        w.killed = true;
                        kill = true;
                    }
                    if (w.killed) {
                        waitNanos = -1; // its end comes
                    }
                }
                if (kill) {
                    kill(w);
                }
                if (waitNanos >= 0 && !w.link.poll(Math.max(1, waitNanos))) {
                    continue; // idle, or the deadline passed: the loop looks again, and kills if it must
                }
                handle(w, w.link.receive());
                // answers that came in the same read: all of them first, then one dispatch and one write
                while (w.link.hasBufferedFrame()) {
                    handle(w, w.link.receive());
                }
                dispatch();
            }
        } catch (IOException | RuntimeException ended) {
            // the link ended, or the worker sent what it should not: either way it is of no more use
        }
        linkEnded(w);
    }

    /**
     * How long {@code w}'s reader may wait at {@code now}: until the deadline of the task it runs, -1 (for
     * ever) if that has none, {@link #IDLE_LOOK_NANOS} if it runs nothing. A deadline that has passed makes
     * that task the worker's {@code timedOut}. Caller holds the lock.
     */
    private long waitNanos(Worker w, long now) {
        Task head = w.inFlight.peekFirst();
        if (head == null) {
            return IDLE_LOOK_NANOS;
        }
        long deadline = deadlineOf(head);
        if (deadline == 0) {
            return -1;
        }
        long left = deadline - (now - w.headSince);
        if (left <= 0 && w.timedOut == null) {
            w.timedOut = head;
        }
        return left;
    }

    /** Has the worker's member kill it; its link's end then settles what it ran. */
    private void kill(Worker w) {
        driver.onLane(w.place.peer, ClusterWire.KILL, ClusterWire.worker(new ClusterWire.Worker(poolId, w.number)));
    }

    /**
     * One answer of a worker: the outcome of the task it runs (the first in flight there), read where it
     * came, before the next is received.
     *
     * @throws IOException if it answers another task
     */
    private void handle(Worker w, ByteBuffer answer) throws IOException {
        long taskId = RemoteWorkers.taskOf(answer);
        Task t;
        synchronized (lock) {
            Task head = w.inFlight.peekFirst();
            if (head == null || head.id() != taskId) {
                throw new IOException("the answer of task " + taskId + ", but " + (head == null ? "none" : head.id()) + " runs");
            }
            w.inFlight.pollFirst();
            long now = System.nanoTime();
            w.paceNanos = Window.nextPace(w.paceNanos, now - w.headSince);
            w.headSince = now;
            t = ledger.remove(head) != null ? head : null; // else cancelled meanwhile: not reported
        }
        if (t == null) {
            return;
        }
        RemoteWorkers.Answer outcome;
        try {
            outcome = RemoteWorkers.read(answer);
        } catch (IOException | ClassNotFoundException | RuntimeException e) {
            t.job().failed(t, new ProcessError("the result of the task cannot be read here: " + e));
            return;
        }
        outcome.deliver(t);
    }

    /**
     * A worker's link ended. What it ran goes back to the queue, but for the task it was running when it
     * ended under it, unasked: that one's fate waits for its member to tell how the worker ended.
     */
    private void linkEnded(Worker w) {
        w.link.close();
        Task timedOut = null;
        boolean ask = false;
        synchronized (lock) {
            w.dead = true;
            if (w.place.gone) {
                return; // the place's end settled what it ran
            }
            Task head = w.inFlight.peekFirst();
            if (w.killed) { // this pool killed it: its task overran its deadline, or was cancelled
                if (head != null && head == w.timedOut && ledger.remove(head) != null) {
                    timedOut = head;
                    w.inFlight.pollFirst();
                }
            } else {
                ask = head != null && ledger.containsKey(head);
            }
            if (!ask) {
                requeueAll(w);
                w.place.workers.remove(w);
            }
        }
        if (timedOut != null) {
            timedOut.job().failed(timedOut, new TimeoutException("the task ran past its deadline of "
                    + Duration.ofNanos(deadlineOf(timedOut)) + "; its worker " + w.name() + " was killed"));
        }
        if (ask) {
            driver.onLane(w.place.peer, ClusterWire.END, ClusterWire.worker(new ClusterWire.Worker(poolId, w.number)))
                    .whenComplete((reply, error) -> settle(w, error == null ? endedOf(reply, w.place.peer) : null));
        }
        dispatch();
    }

    /** How the member says its worker ended; null if it cannot say (it is gone, or its session ended). */
    private static ClusterWire.Ended endedOf(byte[] reply, Driver.Peer peer) {
        try {
            if (Envelope.kindOf(reply) == ClusterWire.REFUSED) {
                return null;
            }
            Envelope e = Driver.opened(reply, peer);
            return e.kind() == ClusterWire.ENDED ? ClusterWire.readEnded(e.body()) : null;
        } catch (IOException | AuthenticationError e) {
            return null;
        }
    }

    /**
     * Settles what a worker whose link ended under a task ran, now that its member said how it ended
     * ({@code ended}; null if it could not): a worker that lost its link, or a member that cannot say, sends
     * it all back to the queue; a worker the task ended counts a death against that task.
     */
    private void settle(Worker w, ClusterWire.Ended ended) {
        Task lost = null;
        Throwable why = null;
        synchronized (lock) {
            if (w.place.gone) {
                return; // the place's end settled what it ran
            }
            boolean underTask = ended != null && ended.how() == ClusterWire.EXITED;
            Task head = w.inFlight.peekFirst();
            Entry e = head == null ? null : ledger.get(head);
            if (underTask && e != null) {
                w.inFlight.pollFirst();
                requeueAll(w); // the tasks behind it never started
                if (e.deaths < retries) {
                    e.deaths++;
                    e.worker = null;
                    pending.addFirst(head); // ahead of them: as a local pool does
                } else {
                    ledger.remove(head);
                    lost = head;
                    why = new WorkerLostException("the worker " + w.name() + " running this task died: exit code "
                            + ExitStatus.describe(ended.exitCode()), ended.exitCode(), ended.stderrTail());
                }
            } else {
                requeueAll(w);
            }
            w.place.workers.remove(w);
        }
        if (lost != null) {
            lost.job().failed(lost, why);
        }
        dispatch();
    }

    /** Sends what a dead worker had in flight back to the front of the queue, in order. Caller holds the lock. */
    private void requeueAll(Worker w) {
        for (Iterator<Task> i = w.inFlight.descendingIterator(); i.hasNext(); ) {
            requeue(i.next());
        }
        w.inFlight.clear();
        w.outbox.clear();
    }

    /** A task in flight goes back to the front of the queue, if it is unfinished. Caller holds the lock. */
    private void requeue(Task t) {
        Entry e = ledger.get(t);
        if (e != null) {
            e.worker = null;
            pending.addFirst(t);
        }
    }

    // ---- submitting --------------------------------------------------------------------------------

    /**
     * Queues tasks, in order.
     *
     * @throws ProcessError if no member can run the pool (its workers could not start on any)
     */
    @Override
    public void submit(List<Task> tasks) {
        synchronized (lock) {
            checkRunning();
            if (places.isEmpty() && broken != null) {
                throw new ProcessError(broken);
            }
            for (Task t : tasks) {
                ledger.put(t, new Entry());
                pending.addLast(t);
            }
        }
        dispatch();
    }

    /**
     * Assigns pending tasks to the workers with room, one per worker in turn (the workers of the members
     * taken in turn, so that work is spread over the members), then sends what was assigned; once all is
     * done, tells the workers to quit, and so the workers of a member that leaves once theirs is done.
     */
    private void dispatch() {
        List<Worker> toSend = new ArrayList<>();
        List<Place> toStop = new ArrayList<>();
        synchronized (lock) {
            List<Worker> live = liveWorkers();
            int outstanding = ledger.size();
            int n = live.size();
            int share = n == 0 ? LEAST_IN_FLIGHT : Math.max(LEAST_IN_FLIGHT, (outstanding + n - 1) / n);
            long now = System.nanoTime();
            boolean more = true;
            while (more && n > 0) {
                more = false;
                for (int i = 0; i < n; i++) {
                    Worker w = live.get((nextWorker + i) % n);
                    if (!hasRoom(w, share)) {
                        continue;
                    }
                    Task t = nextPending();
                    if (t == null) {
                        break;
                    }
                    ledger.get(t).worker = w;
                    if (w.inFlight.isEmpty()) {
                        w.headSince = now;
                    }
                    w.inFlight.addLast(t);
                    w.outbox.addLast(t);
                    w.sent++;
                    if (!toSend.contains(w)) {
                        toSend.add(w);
                    }
                    more = true;
                }
            }
            nextWorker = n == 0 ? 0 : (nextWorker + 1) % n;
            boolean done = state != State.RUNNING && ledger.isEmpty();
            for (Place p : places.values()) {
                boolean idle = true;
                for (Worker w : p.workers) {
                    idle &= w.dead || w.inFlight.isEmpty();
                    if ((done || p.leaving) && !w.dead && !w.quitSent && w.inFlight.isEmpty()) {
                        w.quitSent = true;
                        if (!toSend.contains(w)) {
                            toSend.add(w);
                        }
                    }
                }
                if (p.leaving && idle && !p.stopSent) {
                    p.stopSent = true;
                    toStop.add(p);
                }
            }
        }
        toSend.forEach(this::send);
        for (Place p : toStop) { // a member that leaves: its workers told to quit, its pool stopped, its slots freed
            driver.call(HazelcastSetup.WAITS, p.peer, ClusterWire.STOP, ClusterWire.stop(new ClusterWire.Stop(poolId, false)))
                    .whenComplete((r, e) -> placeGone(p));
        }
        stopIfDone();
    }

    /** The workers that may take tasks, of the places that take work, a member's after another's in turn. Caller holds the lock. */
    private List<Worker> liveWorkers() {
        List<List<Worker>> byPlace = new ArrayList<>();
        int most = 0;
        for (Place p : places.values()) {
            if (!p.gone && !p.leaving) {
                List<Worker> ws = new ArrayList<>();
                for (Worker w : p.workers) {
                    if (!w.dead && !w.quitSent) {
                        ws.add(w);
                    }
                }
                byPlace.add(ws);
                most = Math.max(most, ws.size());
            }
        }
        List<Worker> live = new ArrayList<>();
        for (int i = 0; i < most; i++) {
            for (List<Worker> ws : byPlace) {
                if (i < ws.size()) {
                    live.add(ws.get(i));
                }
            }
        }
        return live;
    }

    /** Whether a worker can take another task now, holding at most {@code share}. Caller holds the lock. */
    private boolean hasRoom(Worker w, int share) {
        return w.inFlight.size() < window(w.paceNanos, share) && (maxTasksPerChild <= 0 || w.sent < maxTasksPerChild)
                && !w.killed;
    }

    /**
     * The tasks in flight for a worker whose answers come every {@code paceNanos} (0: not measured yet),
     * when its share of the unfinished tasks is {@code share}: a window of its work ({@link Window}),
     * {@value #LEAST_IN_FLIGHT} to {@value #MOST_IN_FLIGHT}, and no more than its share.
     */
    static int window(long paceNanos, int share) {
        return Math.min(Window.size(paceNanos, LEAST_IN_FLIGHT, MOST_IN_FLIGHT), Math.max(LEAST_IN_FLIGHT, share));
    }

    /** The first pending task still to run (those finished or cancelled meanwhile are dropped). Caller holds the lock. */
    private Task nextPending() {
        for (Task t; (t = pending.pollFirst()) != null; ) {
            Entry e = ledger.get(t);
            if (e != null && e.worker == null) {
                return t;
            }
        }
        return null;
    }

    /**
     * Sends a worker what was assigned to it, in order, in one write (with the function it does not hold
     * yet before the first task that needs it), and a quit once it was told to; one sender per worker at a
     * time.
     */
    private void send(Worker w) {
        synchronized (w.sendLock) {
            List<ByteBuffer[]> messages = new ArrayList<>();
            synchronized (lock) {
                for (Task t; (t = w.outbox.pollFirst()) != null; ) {
                    if (t.fnId() >= 0 && w.lastFn != t.fnId()) {
                        messages.add(new ByteBuffer[] {RemoteWorkers.defineHead(t.fnId()), ByteBuffer.wrap(t.fnBytes())});
                        w.lastFn = t.fnId();
                    }
                    messages.add(new ByteBuffer[] {ByteBuffer.wrap(t.message())});
                }
                if (w.quitSent && w.inFlight.isEmpty() && !w.dead && !w.quitWritten) {
                    w.quitWritten = true;
                    messages.add(new ByteBuffer[] {ByteBuffer.wrap(RemoteWorkers.quitMessage())});
                }
            }
            if (!messages.isEmpty()) {
                w.link.send(messages); // a failure closes the link: its reader settles what was in flight
            }
        }
    }

    @Override
    public void cancel(List<Task> tasks, boolean kill) {
        List<Worker> toKill = new ArrayList<>();
        synchronized (lock) {
            for (Task t : tasks) {
                Entry e = ledger.remove(t); // a pending one is dropped when its turn comes
                if (e != null && kill && e.worker != null && e.worker.inFlight.peekFirst() == t && !e.worker.killed) {
                    e.worker.killed = true; // its reader then finds the task finished and reports nothing
                    toKill.add(e.worker);
                }
            }
        }
        toKill.forEach(this::kill);
        dispatch();
    }

    // ---- lifecycle ---------------------------------------------------------------------------------

    @Override
    public void shutdown() {
        markShutdown();
        dispatch();
    }

    /** Once shut down and every task is done, the members' pools are stopped (their workers were told to quit). */
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

    /** Every unfinished task, taken off the ledger (in flight, the workers' answers are dropped). Caller holds the lock. */
    private List<Task> dropAll() {
        List<Task> dropped = new ArrayList<>(ledger.keySet());
        ledger.clear();
        pending.clear();
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
                if (!p.gone) { // its OPEN's answer may be on its way while its workers already run tasks
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
