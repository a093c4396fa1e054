package org.multiprocessing4j.cluster.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.multiprocessing4j.Process;
import org.multiprocessing4j.ProcessError;
import org.multiprocessing4j.internal.launch.ExitStatus;
import org.multiprocessing4j.internal.launch.ProcessBridge;
import org.multiprocessing4j.internal.runtime.RuntimeDir;
import org.multiprocessing4j.internal.runtime.StartMethod;

/**
 * The worker JVMs of one driver's pool on this member: the member's whole part in running the pool's
 * tasks, which go from the driver to the workers and back on the workers' own {@link Link}s, never
 * through the member. It starts the workers ({@link LinkWorker}), replaces each that ends while the pool
 * is open, kills one when the driver asks (a deadline passed, a task was cancelled), and tells how each
 * ended, which only the member can see: so the driver can tell a worker that a task killed from one whose
 * link or member was lost.
 *
 * <p>When the workers of one slot never get ready {@value #START_ATTEMPTS} times in a row (an
 * initializer that throws, a driver they cannot reach), the pool is broken here: {@link #watch()}
 * says why. Workers are daemonic children of the member: they die with it.
 *
 * <p>Thread-safe. Each worker has a thread that waits for its end.
 */
final class WorkerHost {
    /** Workers of one slot that in a row never got ready before the pool gives up on this member. */
    static final int START_ATTEMPTS = 3;
    /** How many ended workers' ends are kept, for their drivers to ask. */
    private static final int ENDS_KEPT = 256;
    /** How long a stopped pool's workers have to end after their driver said quit, before they are killed. */
    private static final Duration QUIT_GRACE = Duration.ofSeconds(2);
    /**
     * How long a worker whose driver asks how it ended (its link ended) may run on before it is killed: one
     * that lost its link while it ran a task ends only when it next writes.
     */
    static final Duration END_GRACE = Duration.ofSeconds(2);
    /** Where the kills of workers that run on after their link ended wait. */
    private static final java.util.concurrent.ScheduledExecutorService TIMER =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "mp4j-cluster-end-timer");
                t.setDaemon(true);
                return t;
            });
    private static final AtomicInteger NUMBERS = new AtomicInteger();
    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();
    private static final System.Logger LOG = System.getLogger("org.multiprocessing4j.cluster");

    /** What a worker needs to find its driver, and to be its pool's: all but its number. */
    record Settings(String links, byte[] authkey, byte[] key, byte[] cipherKey, UUID member, int pool, int size,
                    byte[] initializer, int maxTasks, StartMethod startMethod) {
    }

    private static final class Hosted {
        final int number;
        final int slot;
        final Process process;
        final java.nio.file.Path endFile; // where it writes its exit code when it ends for its own reasons
        final CompletableFuture<ClusterWire.Ended> ended = new CompletableFuture<>();
        volatile boolean orphaned; // killed as it ran on after its link ended: its end is the link's

        Hosted(int number, int slot, Process process, java.nio.file.Path endFile) {
            this.number = number;
            this.slot = slot;
            this.process = process;
            this.endFile = endFile;
        }
    }

    private final Settings settings;
    private final Object lock = new Object();
    private final Map<Integer, Hosted> live = new HashMap<>();             // guarded: by number
    private final Map<Integer, Hosted> ended = new LinkedHashMap<>(16, 0.75f, false) { // guarded: the latest ended
        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, Hosted> eldest) {
            return size() > ENDS_KEPT;
        }
    };
    private final int[] failedInARow;                                       // guarded: per slot
    private final CompletableFuture<Byte> watch = new CompletableFuture<>(); // BROKEN, LEAVING or OK
    private String broken;                                                  // guarded
    private boolean stopped;                                                // guarded: replace no worker
    private boolean leaving;                                                // guarded: nor, the member leaving

    /** Starts the pool's workers, without waiting for any. */
    WorkerHost(Settings settings) {
        this.settings = settings;
        this.failedInARow = new int[settings.size()];
        synchronized (lock) {
            for (int slot = 0; slot < settings.size() && broken == null; slot++) {
                start(slot);
            }
        }
    }

    /** Starts a worker for {@code slot}. Caller holds the lock. */
    private void start(int slot) {
        int number = NUMBERS.incrementAndGet();
        Settings s = settings;
        byte[] secret = new byte[16];
        RANDOM.nextBytes(secret);
        java.nio.file.Path endFile;
        Process p;
        try {
            endFile = RuntimeDir.get().resolve("cluster-worker-" + number + "-"
                    + java.util.HexFormat.of().formatHex(secret) + ".end");
            p = new Process(new LinkWorker.Target(s.links(), s.authkey(), Envelope.workerKey(s.key(), s.pool(), number),
                    s.cipherKey() == null ? null : Envelope.workerKey(s.cipherKey(), s.pool(), number), s.member(), s.pool(),
                    number, s.initializer(), s.maxTasks(), endFile.toString()), "ClusterPoolWorker-" + number);
            p.setDaemon(true);
            ProcessBridge.setStartMethod(p, s.startMethod());
            ProcessBridge.pipeStderr(p);
            ProcessBridge.reportStartFailureByCaller(p);
            p.start();
        } catch (RuntimeException e) {
            breaks("a worker JVM cannot be started: " + e);
            return;
        }
        Hosted h = new Hosted(number, slot, p, endFile);
        live.put(number, h);
        Thread t = new Thread(() -> watch(h), "mp4j-cluster-worker-" + number);
        t.setDaemon(true);
        t.start();
    }

    /** Waits for a worker's end: says how it ended, and replaces it while the pool is open. */
    private void watch(Hosted h) {
        try {
            h.process.join();
        } catch (ProcessError interruptedOrNotStarted) {
            // asked below
        }
        boolean started = true;
        try {
            h.process.exitCode();
        } catch (ProcessError couldNotStart) { // its JVM could not start, or could not read its task
            started = false;
        }
        Integer code = ProcessBridge.exitStatus(h.process);
        int exit = code == null ? Integer.MIN_VALUE : code;
        String tail = exit == 0 ? "" : ProcessBridge.lastStderr(h.process);
        int said = saidAtEnd(h.endFile);
        boolean startFailed = !started || (exit == LinkWorker.START_FAILED && said == LinkWorker.START_FAILED);
        boolean linkLost = h.orphaned || (exit == LinkWorker.LINK_LOST && said == LinkWorker.LINK_LOST);
        byte how = linkLost ? ClusterWire.LINK_ENDED : code == null ? ClusterWire.NOT_KNOWN : ClusterWire.EXITED;
        synchronized (lock) {
            live.remove(h.number);
            ended.put(h.number, h);
            if (startFailed) {
                if (++failedInARow[h.slot] >= START_ATTEMPTS) {
                    breaks("the pool's workers cannot start on this member: " + failedInARow[h.slot] + " in a row in one"
                            + " slot ended before they were ready, the last (pid " + h.process.pid() + ") with exit code "
                            + ExitStatus.describe(exit) + "; " + (tail.isBlank() ? "it wrote nothing to stderr"
                            : "its stderr ended with:\n" + tail.strip()));
                }
            } else {
                failedInARow[h.slot] = 0;
            }
            if (!stopped && !leaving && broken == null) {
                start(h.slot);
            }
            lock.notifyAll();
        }
        h.ended.complete(new ClusterWire.Ended(how, exit, tail));
    }

    /** The exit code a worker wrote to its end file before it exited (the file then deleted); 0 if none. */
    private static int saidAtEnd(java.nio.file.Path endFile) {
        try {
            return Integer.parseInt(java.nio.file.Files.readString(endFile).strip());
        } catch (java.io.IOException | RuntimeException none) {
            return 0; // it did not end for its own reasons
        } finally {
            try {
                java.nio.file.Files.deleteIfExists(endFile);
            } catch (java.io.IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "cannot delete " + endFile + ": " + e);
            }
        }
    }

    /** The pool cannot run here. Caller holds the lock. */
    private void breaks(String why) {
        if (broken == null) {
            broken = why;
            LOG.log(System.Logger.Level.WARNING, why);
            watch.complete(ClusterWire.BROKEN);
        }
    }

    /** Why the pool is broken here; null if it is not. */
    String broken() {
        synchronized (lock) {
            return broken;
        }
    }

    /**
     * Completes with {@link ClusterWire#BROKEN} (see {@link #broken()}), {@link ClusterWire#LEAVING} (see
     * {@link #leaving()}) or {@link ClusterWire#OK} once the pool was stopped.
     */
    CompletableFuture<Byte> watch() {
        return watch;
    }

    /**
     * The member is leaving: the driver is told ({@link #watch()}) to send no more work here, and a worker
     * that ends is not replaced.
     */
    void leaving() {
        synchronized (lock) {
            leaving = true;
        }
        watch.complete(ClusterWire.LEAVING);
    }

    /** Kills the worker {@code number}, if it lives. Does not wait. */
    void kill(int number) {
        Hosted h;
        synchronized (lock) {
            h = live.get(number);
        }
        if (h != null) {
            h.process.kill();
        }
    }

    /**
     * How the worker {@code number}, whose link to its driver ended, ended, once it has: if it still runs
     * after {@link #END_GRACE}, it is killed, and its end is said to be its link's
     * ({@link ClusterWire#LINK_ENDED}); {@link ClusterWire#NOT_KNOWN} at once if no such worker is known here.
     */
    CompletableFuture<ClusterWire.Ended> ended(int number) {
        Hosted h;
        synchronized (lock) {
            h = live.getOrDefault(number, ended.get(number));
        }
        if (h == null) {
            return CompletableFuture.completedFuture(new ClusterWire.Ended(ClusterWire.NOT_KNOWN, 0, "no such worker"));
        }
        if (!h.ended.isDone()) {
            TIMER.schedule(() -> {
                if (!h.ended.isDone() && h.process.isAlive()) {
                    h.orphaned = true;
                    h.process.kill();
                }
            }, END_GRACE.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        }
        return h.ended;
    }

    /** The pids of the live workers, those still starting included. */
    List<Long> pids() {
        synchronized (lock) {
            List<Long> pids = new ArrayList<>();
            for (Hosted h : live.values()) {
                pids.add(h.process.pid());
            }
            return pids;
        }
    }

    /**
     * Stops the pool and returns once its workers have ended: with {@code terminate} they are killed;
     * else (their driver told them to quit) they are given {@link #QUIT_GRACE} to end, then killed. Waits
     * at most {@code most} in all.
     */
    void stop(boolean terminate, Duration most) {
        long deadline = System.nanoTime() + most.toNanos();
        List<Hosted> all;
        synchronized (lock) {
            stopped = true;
            all = new ArrayList<>(live.values());
        }
        if (terminate) {
            all.forEach(h -> h.process.kill());
        } else {
            long graceEnd = System.nanoTime() + Math.min(QUIT_GRACE.toNanos(), most.toNanos());
            awaitEnd(all, graceEnd);
            all.forEach(h -> {
                if (!h.ended.isDone()) {
                    h.process.kill();
                }
            });
        }
        awaitEnd(all, deadline);
        watch.complete(ClusterWire.OK);
    }

    private static void awaitEnd(List<Hosted> all, long deadline) {
        for (Hosted h : all) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            try {
                h.ended.get(left, java.util.concurrent.TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                // killed and not ended in time: the member's exit ends it all the same (a daemonic child)
            }
        }
    }

    /** Whether the pool was stopped. */
    boolean stopped() {
        synchronized (lock) {
            return stopped;
        }
    }
}
