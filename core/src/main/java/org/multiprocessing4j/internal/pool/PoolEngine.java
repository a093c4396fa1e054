package org.multiprocessing4j.internal.pool;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.multiprocessing4j.EOFError;
import org.multiprocessing4j.Process;
import org.multiprocessing4j.ProcessError;
import org.multiprocessing4j.RemoteException;
import org.multiprocessing4j.SerializableRunnable;
import org.multiprocessing4j.WorkerLostException;
import org.multiprocessing4j.internal.codec.LimitedBytes;
import org.multiprocessing4j.internal.codec.Serialization;
import org.multiprocessing4j.internal.launch.ProcessBridge;
import org.multiprocessing4j.internal.launch.RuntimeDir;
import org.multiprocessing4j.internal.wire.AuthServer;
import org.multiprocessing4j.internal.wire.FrameLayout;
import org.multiprocessing4j.internal.wire.MessageLimit;
import org.multiprocessing4j.internal.wire.RawFrames;
import org.multiprocessing4j.internal.wire.SocketTransport;

/**
 * The machinery of a {@code Pool}: its worker processes, the tasks waiting for one, and a thread per
 * worker that reads its results (Python's {@code Pool} with its handler threads, rearranged).
 *
 * <p>Each worker has a pipe of its own and a window of tasks in flight, run in the order sent, so the
 * pool always knows which task a worker is running. The window holds about {@value #WINDOW_WORK_MICROS}
 * µs of work by the worker's recent pace, between {@value #MIN_WINDOW} (the task it runs and the next,
 * so that it never waits) and {@value #MAX_WINDOW} (tiny tasks, sent and answered many per write). When a worker dies, its pipe ends:
 * the task it was running fails with {@link WorkerLostException} (or is retried, up to the retries
 * allowed), the tasks queued behind it go back to the front of the queue, and a new worker takes its
 * place. A task that overruns its deadline gets its worker killed, and fails with
 * {@link TimeoutException}. Everything else a worker reports goes to the task's {@link Job}.
 *
 * <p>A worker that dies before it has connected is replaced too, but not for ever: when the workers of
 * one slot have died that way {@value #START_ATTEMPTS} times in a row (a class path or a JVM option the
 * child cannot use, a crash at start), the pool is broken: its outstanding work fails, and new work is
 * refused, with a {@link ProcessError} that gives the last one's exit code and the end of its stderr.
 * A worker that connects resets its slot's count.
 *
 * <p>Thread-safe. Jobs are called without the pool's lock held, from the threads that read results.
 */
public final class PoolEngine extends EngineBase {
    /** Tasks in flight per worker, at least: the one it runs and the next, so that it never waits. */
    private static final int MIN_WINDOW = 2;
    /** Tasks in flight per worker, at most. */
    private static final int MAX_WINDOW = 64;
    /** How much of a worker's work, by its recent pace, the window holds. */
    private static final long WINDOW_WORK_MICROS = 1_000;
    private static final long IDLE_LOOK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /** Workers of one slot that may die in a row before connecting, before the pool gives up. */
    static final int START_ATTEMPTS = 3;
    private static final AtomicInteger POOLS = new AtomicInteger();
    private static final Object CLOSED = new Object();

    private final SerializableRunnable initializer;
    private final int maxTasksPerChild;
    private final long defaultTimeoutNanos;
    private final int retries;
    private final String startMethod;
    private final String workerName;
    private final ArrayDeque<Task> pending = new ArrayDeque<>();   // guarded by lock
    private final List<Worker> workers = new ArrayList<>();         // guarded by lock
    private int nextWorker;                                         // guarded by lock: where dispatch starts
    private final AtomicInteger workerNumbers = new AtomicInteger();
    private final int[] startDeaths; // guarded by lock: per slot, workers in a row that died before connecting
    private String broken;           // guarded by lock: why the pool cannot start workers, once it gave up
    private final AuthServer listener; // where workers connect; closed once the last worker has gone
    /** The authenticated workers' connections, in arrival order, then CLOSED once the listener is. */
    private final LinkedBlockingQueue<Object> arrivals = new LinkedBlockingQueue<>();

    /**
     * Starts {@code size} workers.
     *
     * @param startMethod how workers are started ({@code "spawn"} or {@code "forkserver"})
     * @param workerName the workers' name prefix; they are named {@code prefix-N}
     */
    public PoolEngine(int size, SerializableRunnable initializer, int maxTasksPerChild, Duration taskTimeout,
                      int retries, String startMethod, String workerName) {
        super(size);
        this.startMethod = startMethod;
        this.initializer = initializer;
        this.maxTasksPerChild = maxTasksPerChild;
        this.defaultTimeoutNanos = taskTimeout == null ? 0 : taskTimeout.toNanos();
        this.retries = retries;
        this.workerName = workerName;
        this.startDeaths = new int[size];
        this.listener = AuthServer.start("unix:" + RuntimeDir.get().resolve("pool-" + POOLS.incrementAndGet() + ".sock"),
                ProcessBridge.authkey(), "mp4j-pool-listener", arrivals::add);
        Thread acceptor = new Thread(this::acceptLoop, "mp4j-pool-acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
        synchronized (lock) {
            for (int slot = 0; slot < size; slot++) {
                workers.add(startWorker(slot));
            }
        }
    }

    @Override
    public boolean serializes() {
        return true;
    }

    // ---- building tasks (in the caller's thread, so that a bad argument fails at the call) ----------

    /**
     * A chunk of a map: {@code fnBytes} (the serialized function) applied to each of {@code args}.
     *
     * @param timeout null for the pool's default
     * @throws IllegalArgumentException if an argument cannot be serialized; the message names its class
     */
    @Override
    public Task mapTask(Job job, int index, int fnId, Object fn, byte[] fnBytes, List<?> args, Duration timeout) {
        long id = newTaskId();
        LimitedBytes bytes = new LimitedBytes(256, MessageLimit.frameBytes());
        DataOutputStream out = new DataOutputStream(bytes);
        try {
            out.writeByte(PoolWire.MAP);
            out.writeLong(id);
            out.writeInt(fnId);
            PoolWire.writeValues(out, args);
            out.flush();
        } catch (LimitedBytes.Exceeded e) {
            IllegalArgumentException tooLarge = MessageLimit.exceeded("a chunk of " + args.size()
                    + " arguments (a smaller chunksize may fit)");
            tooLarge.initCause(e);
            throw tooLarge;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Task(id, job, index, fnId, fnBytes, bytes.toByteArray(), null, null, null, timeoutNanos(timeout));
    }

    /** One call of a callable, given serialized. */
    @Override
    public Task callTask(Job job, int index, java.util.concurrent.Callable<?> task, byte[] callable, Duration timeout) {
        long id = newTaskId();
        byte[] frame = new byte[1 + 8 + callable.length];
        frame[0] = PoolWire.CALL;
        for (int i = 0; i < 8; i++) {
            frame[1 + i] = (byte) (id >>> (56 - 8 * i));
        }
        System.arraycopy(callable, 0, frame, 9, callable.length);
        return new Task(id, job, index, -1, null, frame, null, null, null, timeoutNanos(timeout));
    }

    private long timeoutNanos(Duration timeout) {
        return timeout == null ? defaultTimeoutNanos : Math.max(1, timeout.toNanos());
    }

    // ---- submitting and cancelling -----------------------------------------------------------------

    /**
     * Queues tasks, in order.
     *
     * @throws IllegalStateException if the pool was shut down or terminated
     * @throws ProcessError if the pool is broken: its workers cannot start
     */
    @Override
    public void submit(List<Task> tasks) {
        synchronized (lock) {
            checkRunning();
            if (broken != null) {
                throw new ProcessError(broken);
            }
            pending.addAll(tasks);
        }
        dispatch();
    }

    /**
     * Gives up tasks that have not finished: those still queued are dropped; those in flight are left
     * to finish, unless {@code kill}, which kills their worker (the others in flight there are
     * requeued). Their job hears nothing more of them.
     */
    @Override
    public void cancel(List<Task> tasks, boolean kill) {
        List<Worker> toKill = new ArrayList<>();
        synchronized (lock) {
            for (Task t : tasks) {
                if (t.finished) {
                    continue;
                }
                t.finished = true;
                if (t.worker == null) {
                    pending.remove(t);
                } else if (kill && t.worker.inFlight.peekFirst() == t) {
                    toKill.add(t.worker); // its reader then finds the task finished and reports nothing
                }
            }
        }
        toKill.forEach(w -> w.process.kill());
    }

    // ---- lifecycle ---------------------------------------------------------------------------------

    /** No new tasks; the workers exit when the queued ones are done. */
    @Override
    public void shutdown() {
        synchronized (lock) {
            if (state == State.RUNNING) {
                state = State.SHUTDOWN;
                lock.notifyAll(); // awaitShutdown
            }
        }
        dispatch();
    }

    /** Stops everything now: workers are killed; unfinished tasks fail with {@link CancellationException}. */
    @Override
    public void terminate() {
        List<Task> dropped = new ArrayList<>();
        List<Worker> all;
        synchronized (lock) {
            state = State.TERMINATED;
            lock.notifyAll(); // awaitShutdown
            for (Task t : pending) {
                t.finished = true;
                dropped.add(t);
            }
            pending.clear();
            all = new ArrayList<>(workers);
            for (Worker w : all) {
                for (Task t : w.inFlight) {
                    if (!t.finished) {
                        t.finished = true;
                        dropped.add(t);
                    }
                }
            }
        }
        for (Worker w : all) {
            w.process.kill();
        }
        CancellationException terminated = new CancellationException("the pool was terminated");
        for (Task t : dropped) {
            t.job.failed(t, terminated);
        }
    }

    @Override
    boolean workersGone() {
        return workers.isEmpty();
    }

    /** The pids of the live workers, for tests and the curious. */
    @Override
    public List<Long> workerPids() {
        synchronized (lock) {
            List<Long> pids = new ArrayList<>();
            for (Worker w : workers) {
                if (!w.dead) {
                    pids.add(w.process.pid());
                }
            }
            return pids;
        }
    }

    // ---- workers -----------------------------------------------------------------------------------

    /** One worker process, its connection, the tasks in flight there (the head runs). */
    final class Worker {
        final int number;
        final int slot;         // which of the pool's places it fills; its replacement fills the same
        final Process process;
        volatile SocketTransport pipe; // set once, under lock, when the worker has connected
        final ArrayDeque<Task> inFlight = new ArrayDeque<>(); // guarded by lock
        final ArrayDeque<Task> outbox = new ArrayDeque<>();   // guarded by lock: assigned, not yet sent
        final Object sendLock = new Object();
        int sent;               // guarded by lock: tasks ever assigned here
        int lastFn = -1;        // guarded by lock: the function this worker holds, once what is sent arrives
        long headSince;         // guarded by lock: when the head task started (or was sent)
        long paceNanos;         // guarded by lock: a moving average of the time a task takes here
        int window = MIN_WINDOW; // guarded by lock: tasks allowed in flight
        boolean quitSent;       // guarded by lock
        boolean quitWritten;    // guarded by lock
        boolean dead;           // guarded by lock
        Task timedOut;          // guarded by lock: killed because this task overran its deadline

        Worker(int number, int slot, Process process) {
            this.number = number;
            this.slot = slot;
            this.process = process;
        }
    }

    /** Starts a worker for {@code slot} and its reader thread. Caller holds the lock. */
    private Worker startWorker(int slot) {
        String address = listener.address();
        int number = workerNumbers.incrementAndGet();
        SerializableRunnable init = initializer;
        int maxTasks = maxTasksPerChild;
        Process p = new Process(() -> WorkerMain.run(address, number, init, maxTasks), workerName + "-" + number);
        p.setDaemon(true);
        ProcessBridge.setStartMethod(p, startMethod);
        ProcessBridge.pipeStderr(p);
        ProcessBridge.reportStartFailureByCaller(p);
        p.start();
        Worker w = new Worker(number, slot, p);
        Thread reader = new Thread(() -> readLoop(w), "mp4j-pool-reader-" + p.name());
        reader.setDaemon(true);
        reader.start();
        return w;
    }

    /** Hands each worker that connects its connection (the worker says its number first). */
    private void acceptLoop() {
        while (true) {
            SocketTransport c;
            int number;
            try {
                Object next = arrivals.take();
                if (next == CLOSED) {
                    return;
                }
                c = (SocketTransport) next;
            } catch (InterruptedException e) {
                return;
            }
            try {
                byte[] hello = RawFrames.recv(c);
                number = (hello[0] & 0xff) << 24 | (hello[1] & 0xff) << 16 | (hello[2] & 0xff) << 8 | (hello[3] & 0xff);
            } catch (RuntimeException e) {
                c.close();
                continue;
            }
            boolean taken = false;
            synchronized (lock) {
                for (Worker w : workers) {
                    if (w.number == number && w.pipe == null && !w.dead) {
                        c.parkWithoutSpinning(); // on two cores a spinning reader takes a worker's CPU
                        w.pipe = c;
                        startDeaths[w.slot] = 0;
                        taken = true;
                        lock.notifyAll();
                    }
                }
            }
            if (taken) {
                dispatch();
            } else {
                c.close();
            }
        }
    }

    /** Waits until the worker has connected; false if it died (or the pool was terminated) first. */
    private boolean awaitConnection(Worker w) {
        synchronized (lock) {
            while (w.pipe == null) {
                if (!w.process.isAlive() || state == State.TERMINATED) {
                    return false;
                }
                try {
                    lock.wait(10);
                } catch (InterruptedException e) {
                    return false;
                }
            }
            return true;
        }
    }

    /** Assigns queued tasks to workers with room, then sends what was assigned. */
    private void dispatch() {
        List<Worker> toSend = new ArrayList<>();
        synchronized (lock) {
            // One task per worker in turn, and no worker more than its share of the work there is, so
            // that a batch is shared out even when a worker's window is wide from a run of tiny tasks
            // before, or when the other workers are still starting.
            int n = workers.size();
            int outstanding = pending.size();
            for (Worker w : workers) {
                outstanding += w.inFlight.size();
            }
            int share = Math.max(MIN_WINDOW, (outstanding + size - 1) / size);
            boolean more = true;
            while (more && !pending.isEmpty()) {
                more = false;
                for (int i = 0; i < n && !pending.isEmpty(); i++) {
                    Worker w = workers.get((nextWorker + i) % n);
                    if (!hasRoom(w, share)) {
                        continue;
                    }
                    Task t = pending.pollFirst();
                    if (t.finished) {
                        more = true;
                        continue;
                    }
                    if (w.inFlight.isEmpty()) {
                        w.headSince = System.nanoTime();
                    }
                    t.worker = w;
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
            for (Worker w : workers) {
                if (state != State.RUNNING && pending.isEmpty() && w.inFlight.isEmpty() && !w.quitSent
                        && !w.dead && w.pipe != null) {
                    w.quitSent = true;
                    if (!toSend.contains(w)) {
                        toSend.add(w);
                    }
                }
            }
        }
        for (Worker w : toSend) {
            send(w);
        }
    }

    /** Whether a worker can take another task now, holding at most {@code share}. Caller holds the lock. */
    private boolean hasRoom(Worker w, int share) {
        return !w.dead && w.pipe != null && !w.quitSent && w.inFlight.size() < Math.min(w.window, share)
                && (maxTasksPerChild <= 0 || w.sent < maxTasksPerChild);
    }

    /**
     * Sends a worker what was assigned to it, in order, in one write (with the definition of a function
     * it does not hold yet before the first task that needs it); one sender per worker at a time.
     */
    private void send(Worker w) {
        synchronized (w.sendLock) {
            List<ByteBuffer> frames = new ArrayList<>();
            synchronized (lock) {
                for (Task t; (t = w.outbox.pollFirst()) != null; ) {
                    if (t.fnId >= 0 && w.lastFn != t.fnId) {
                        frames.add(FrameLayout.header(FrameLayout.RAW, 5 + t.fnBytes.length));
                        frames.add(ByteBuffer.allocate(5).put(PoolWire.DEFINE).putInt(t.fnId).flip());
                        frames.add(ByteBuffer.wrap(t.fnBytes));
                        w.lastFn = t.fnId;
                    }
                    addFrame(frames, t.frame);
                }
                if (w.quitSent && w.inFlight.isEmpty() && !w.dead && !w.quitWritten) {
                    w.quitWritten = true;
                    addFrame(frames, new byte[] {PoolWire.QUIT});
                }
            }
            if (frames.isEmpty()) {
                return;
            }
            try {
                w.pipe.sendFrames(frames.toArray(ByteBuffer[]::new));
            } catch (IOException | RuntimeException workerGone) {
                // its reader sees the pipe end and requeues what was in flight
            }
        }
    }

    private static void addFrame(List<ByteBuffer> frames, byte[] payload) {
        frames.add(FrameLayout.header(FrameLayout.RAW, payload.length));
        frames.add(ByteBuffer.wrap(payload));
    }

    /** A worker's reader: results as they come, deadlines, and the worker's death. */
    private void readLoop(Worker w) {
        if (!awaitConnection(w)) {
            workerEnded(w);
            return;
        }
        while (true) {
            long waitNanos;
            synchronized (lock) {
                Task head = w.inFlight.peekFirst();
                // idle, look again now and then: a task with a deadline may be assigned meanwhile
                waitNanos = head == null ? IDLE_LOOK_NANOS : head.timeoutNanos == 0 ? -1
                        : head.timeoutNanos - (System.nanoTime() - w.headSince);
                if (head != null && head.timeoutNanos != 0 && waitNanos <= 0 && w.timedOut == null) {
                    w.timedOut = head;
                }
            }
            if (w.timedOut != null) {
                w.process.kill();
                waitNanos = -1;
            }
            byte[] message;
            try {
                if (waitNanos >= 0 && !RawFrames.poll(w.pipe, Math.max(1, waitNanos))) {
                    continue; // idle, or the deadline passed: the loop looks again, and kills if it must
                }
                message = RawFrames.recv(w.pipe);
            } catch (EOFError | IllegalStateException ended) {
                break;
            } catch (ProcessError e) {
                break;
            }
            try {
                handle(w, message);
                // results that came in the same read: all of them first, then one dispatch and one write
                while (w.pipe.hasBufferedFrame()) {
                    handle(w, RawFrames.recv(w.pipe));
                }
            } catch (IOException | ClassNotFoundException | RuntimeException e) {
                System.getLogger("org.multiprocessing4j.pool").log(System.Logger.Level.WARNING, "bad message from " + w.process.name(), e);
                w.process.kill();
            }
            dispatch();
        }
        workerEnded(w);
    }

    private void handle(Worker w, byte[] message) throws IOException, ClassNotFoundException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(message, 1, message.length - 1));
        long taskId = in.readLong();
        Task t;
        boolean report;
        synchronized (lock) {
            t = w.inFlight.pollFirst();
            if (t == null || t.id != taskId) {
                throw new IOException("result for task " + taskId + ", but " + (t == null ? "none" : t.id) + " runs");
            }
            long now = System.nanoTime();
            long took = now - w.headSince;
            w.paceNanos = w.paceNanos == 0 ? took : (7 * w.paceNanos + took) / 8;
            w.window = (int) Math.max(MIN_WINDOW, Math.min(MAX_WINDOW,
                    TimeUnit.MICROSECONDS.toNanos(WINDOW_WORK_MICROS) / Math.max(1, w.paceNanos)));
            w.headSince = now;
            t.worker = null;
            report = !t.finished;
            t.finished = true;
        }
        if (report) {
            if (message[0] == PoolWire.RESULT) {
                t.job.done(t, PoolWire.readValues(in));
            } else if (message[0] == PoolWire.ERROR) {
                t.job.failed(t, readError(in));
            } else {
                throw new IOException("unknown message " + message[0]);
            }
        }
    }

    /** The exception a task threw, as itself if it travels, else as a {@link RemoteException}. */
    private static Throwable readError(DataInputStream in) throws IOException {
        String type = in.readUTF();
        String text = in.readUTF();
        byte[] rest = in.readAllBytes();
        try {
            Throwable t = (Throwable) Serialization.fromBytes(rest);
            if (t instanceof RemoteException r && r.getCause() == null && r.remoteType().equals(type)) {
                return r; // it could not travel: its stand-in did
            }
            return t;
        } catch (IOException | ClassNotFoundException | ClassCastException e) {
            return new RemoteException(type, text.isEmpty() ? null : text, null);
        }
    }

    /**
     * The worker's pipe ended (or it died before it connected): settle what was in flight there, and
     * replace it if there is work, unless its slot keeps dying at start.
     */
    private void workerEnded(Worker w) {
        awaitEnd(w);
        Integer exitCode = ProcessBridge.exitStatus(w.process);
        if (exitCode == null) {
            w.process.kill(); // its pipe ended but it runs on: it is no use any more
            awaitEnd(w);
            exitCode = ProcessBridge.exitStatus(w.process);
        }
        SocketTransport pipe;
        boolean hadWork;
        boolean diedAtStart;
        synchronized (lock) {
            pipe = w.pipe;
            hadWork = !w.inFlight.isEmpty();
            diedAtStart = pipe == null && state != State.TERMINATED;
        }
        if (pipe != null) {
            pipe.close();
        }
        // only a lost task or a failed start needs the worker's last words; reading them may wait for
        // the pipe to drain
        String stderrTail = hadWork || diedAtStart ? ProcessBridge.lastStderr(w.process) : "";
        Task lost = null;
        Throwable why = null;
        List<Task> refused = new ArrayList<>();
        synchronized (lock) {
            w.dead = true;
            if (diedAtStart && broken == null && ++startDeaths[w.slot] >= START_ATTEMPTS) {
                broken = "the pool's workers cannot start: " + startDeaths[w.slot] + " in a row in one slot"
                        + " ended before they connected, the last, " + w.process.name() + " (pid "
                        + w.process.pid() + "), with " + describe(exitCode) + "; "
                        + (stderrTail.isBlank() ? "it wrote nothing to stderr"
                        : "its stderr ended with:\n" + stderrTail.strip());
            }
            Task head = w.inFlight.pollFirst();
            if (head != null && !head.finished) {
                if (w.timedOut == head) {
                    why = new TimeoutException("the task ran past its deadline of "
                            + Duration.ofNanos(head.timeoutNanos) + "; its worker " + w.process.name()
                            + " (pid " + w.process.pid() + ") was killed");
                    head.finished = true;
                    lost = head;
                } else if (head.attempts < retries) {
                    head.attempts++;
                    head.worker = null;
                    pending.addFirst(head);
                } else {
                    why = new WorkerLostException("the worker " + w.process.name() + " (pid " + w.process.pid()
                            + ") running this task died: " + describe(exitCode), exitCode, stderrTail);
                    head.finished = true;
                    lost = head;
                }
            }
            // the tasks queued behind it never started: back to the front, in order
            Iterator<Task> rest = w.inFlight.descendingIterator();
            while (rest.hasNext()) {
                Task t = rest.next();
                t.worker = null;
                if (!t.finished) {
                    pending.addFirst(t);
                }
            }
            w.inFlight.clear();
            w.outbox.clear();
            workers.remove(w);
            if (broken != null) {
                for (Task t : pending) {
                    if (!t.finished) {
                        t.finished = true;
                        refused.add(t);
                    }
                }
                pending.clear();
            } else if (state == State.RUNNING || (state == State.SHUTDOWN && !pending.isEmpty())) {
                try {
                    workers.add(startWorker(w.slot));
                } catch (RuntimeException e) {
                    System.getLogger("org.multiprocessing4j.pool").log(System.Logger.Level.WARNING, "cannot start a worker", e);
                }
            }
            if (workers.isEmpty()) {
                lock.notifyAll();
                if (state != State.RUNNING) {
                    listener.close();
                    for (Object o; (o = arrivals.poll()) != null; ) {
                        if (o instanceof SocketTransport t) {
                            t.close();
                        }
                    }
                    arrivals.add(CLOSED);
                }
            }
        }
        if (lost != null) {
            lost.job.failed(lost, why);
        }
        for (Task t : refused) {
            t.job.failed(t, new ProcessError(broken()));
        }
        dispatch();
    }

    private String broken() {
        synchronized (lock) {
            return broken;
        }
    }

    /** Waits up to two seconds for the worker's process to end. */
    private static void awaitEnd(Worker w) {
        try {
            w.process.join(Duration.ofSeconds(2));
        } catch (ProcessError interruptedOrNotStarted) {
            // a worker that could not start has ended: the caller asks how; if interrupted, it gives up
        }
    }

    private static String describe(Integer exitCode) {
        if (exitCode == null) {
            return "its exit code is unknown";
        }
        if (exitCode < 0) {
            return "killed by signal " + -exitCode + (exitCode == -9 ? " (SIGKILL)" : exitCode == -15 ? " (SIGTERM)" : "");
        }
        return "exit code " + exitCode;
    }
}
