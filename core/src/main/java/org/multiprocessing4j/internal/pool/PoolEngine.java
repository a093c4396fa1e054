package org.multiprocessing4j.internal.pool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.multiprocessing4j.EOFError;
import org.multiprocessing4j.ProcessError;
import org.multiprocessing4j.SerializableRunnable;
import org.multiprocessing4j.WorkerLostException;
import org.multiprocessing4j.internal.codec.MessageReader;
import org.multiprocessing4j.internal.flight.Flight;
import org.multiprocessing4j.internal.flight.PoolTaskEvent;
import org.multiprocessing4j.internal.flight.WorkerReplacedEvent;
import org.multiprocessing4j.internal.runtime.ExitActions;
import org.multiprocessing4j.internal.runtime.ShutdownSignal;
import org.multiprocessing4j.internal.runtime.StartMethod;
import org.multiprocessing4j.internal.wire.FrameLayout;
import org.multiprocessing4j.internal.wire.RawFrames;
import org.multiprocessing4j.internal.wire.SocketTransport;

/**
 * A {@code Pool}'s tasks in worker processes (Python's {@code Pool} with its handler threads,
 * rearranged): the {@link Dispatcher} decides which worker runs what, the {@link WorkerHandler} starts
 * and accepts the workers, {@link PoolWire} writes and reads every message, and a reader thread per
 * worker takes its results, enforces its deadlines and notices its death.
 *
 * <p>When a worker dies, its pipe ends: the task it was running fails with
 * {@link WorkerLostException} (or is retried, up to the retries allowed), the tasks queued behind it go
 * back to the front of the queue, and a new worker takes its place. A task that overruns its deadline
 * gets its worker killed, and fails with {@link TimeoutException}. Everything else a worker reports goes
 * to the task's {@link Job}.
 *
 * <p>The constructor starts the workers' JVMs and returns: tasks wait in the queue until a worker is
 * ready (it connects once warmed up and initialized, see {@link WorkerMain}), and each worker takes its
 * share the moment it connects, so work begins on the first worker ready. A task's deadline counts from
 * when it is given to a ready worker, never a worker's boot.
 *
 * <p>A worker that dies before it has connected is replaced too, but not for ever: when the workers of
 * one slot have died that way {@value StartFailures#ATTEMPTS} times in a row, the pool is broken: its
 * outstanding work fails, and new work is refused, with a {@link ProcessError} that gives the last one's
 * exit code and the end of its stderr.
 *
 * <p>When this JVM exits, a pool whose workers still live is terminated first (see {@link AtExit}), with a
 * warning if it was never shut down: its daemonic workers would be ended anyway, and the pool would
 * start new ones in their place while the JVM exits.
 *
 * <p>Thread-safe. Jobs are called without the pool's lock held, from the threads that read results.
 */
public final class PoolEngine extends EngineBase {
    /** The pools of this JVM whose workers may still live: what {@link AtExit} terminates. */
    private static final Set<PoolEngine> LIVE = ConcurrentHashMap.newKeySet();
    private static final AtomicInteger IDS = new AtomicInteger();

    /** How the Flight Recorder's events name this pool: {@code pool-N (its workers' name prefix)}. */
    private final String name;

    private final long defaultTimeoutNanos;
    private final Dispatcher dispatcher;   // guarded by lock
    private final WorkerHandler handler;
    private String broken;                 // guarded by lock: why the pool cannot start workers, once it gave up

    /**
     * Starts {@code size} workers' JVMs, without waiting for any to be ready.
     *
     * @param startMethod how workers are started
     * @param workerName the workers' name prefix; they are named {@code prefix-N}
     */
    public PoolEngine(int size, SerializableRunnable initializer, int maxTasksPerChild, Duration taskTimeout,
                      int retries, StartMethod startMethod, String workerName) {
        super(size);
        this.name = "pool-" + IDS.incrementAndGet() + " (" + workerName + ")";
        this.defaultTimeoutNanos = taskTimeout == null ? 0 : taskTimeout.toNanos();
        this.dispatcher = new Dispatcher(size, maxTasksPerChild, retries);
        this.handler = new WorkerHandler(lock, dispatcher, size, initializer, maxTasksPerChild, startMethod, workerName,
                this::readLoop, this::dispatch);
        LIVE.add(this);
        ExitActions.jvm().at(ExitActions.Stage.TERMINATE_POOLS, AtExit.INSTANCE);
        synchronized (lock) {
            for (int slot = 0; slot < size; slot++) {
                handler.start(slot);
            }
        }
    }

    /**
     * At this JVM's exit: terminates the pools whose workers still live, as Python's pool finalizers do
     * before its exit function ends the daemonic children; warns once if any was never shut down
     * (Python's {@code ResourceWarning: unclosed running multiprocessing pool}).
     */
    private enum AtExit implements Runnable {
        INSTANCE;

        @Override
        public void run() {
            int neverClosed = 0;
            for (PoolEngine pool : LIVE) {
                synchronized (pool.lock) {
                    if (pool.state == State.RUNNING) {
                        neverClosed++;
                    }
                }
                pool.terminate();
            }
            if (neverClosed > 0 && !ShutdownSignal.received()) { // a JVM stopped by a signal ends what it has
                System.getLogger("org.multiprocessing4j.pool").log(System.Logger.Level.WARNING, (neverClosed == 1
                        ? "a Pool was never closed: it was" : neverClosed + " Pools were never closed: they were")
                        + " terminated as the JVM exited, and work not done was lost. Close a pool when done with it"
                        + " (close(), or try-with-resources, waits for its work).");
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
        return Task.ofChunk(newTaskId(), job, index, fnId, fnBytes, args, timeoutNanos(timeout));
    }

    /** One call of a callable, given serialized. */
    @Override
    public Task callTask(Job job, int index, java.util.concurrent.Callable<?> task, byte[] callable, Duration timeout) {
        return Task.ofCall(newTaskId(), job, index, callable, timeoutNanos(timeout));
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
            dispatcher.pending.addAll(tasks);
        }
        dispatch();
    }

    /**
     * Gives up tasks that have not finished: those still queued are dropped; those running are left to
     * finish, unless {@code kill}, which kills their worker (the others in flight there are requeued).
     * Their job hears nothing more of them.
     */
    @Override
    public void cancel(List<Task> tasks, boolean kill) {
        List<Worker> toKill = new ArrayList<>();
        synchronized (lock) {
            for (Task t : tasks) {
                Worker w = dispatcher.cancel(t, kill);
                if (w != null) {
                    toKill.add(w); // its reader then finds the task finished and reports nothing
                }
            }
        }
        toKill.forEach(w -> w.process.kill());
    }

    // ---- lifecycle ---------------------------------------------------------------------------------

    /** No new tasks; the workers exit when the queued ones are done. */
    @Override
    public void shutdown() {
        markShutdown();
        synchronized (lock) {
            closeHandlerIfWorkersGone();
        }
        dispatch();
    }

    /** Stops everything now: workers are killed; unfinished tasks fail with {@link CancellationException}. */
    @Override
    public void terminate() {
        List<Task> dropped;
        List<Worker> all;
        LIVE.remove(this);
        synchronized (lock) {
            state = State.TERMINATED;
            lock.notifyAll(); // awaitShutdown
            dropped = dispatcher.dropAll(true);
            all = new ArrayList<>(dispatcher.workers);
            closeHandlerIfWorkersGone();
        }
        for (Worker w : all) {
            w.process.kill();
        }
        CancellationException terminated = new CancellationException("the pool was terminated");
        for (Task t : dropped) {
            t.job.failed(t, terminated);
        }
    }

    /**
     * A pool that gave up starting workers has none left when it is stopped: no worker's end will close
     * the listener then. Caller holds the lock.
     */
    private void closeHandlerIfWorkersGone() {
        if (workersGone()) {
            closeHandler();
        }
    }

    /** Every worker is gone, for good: the pool needs no terminating at exit. Caller holds the lock. */
    private void closeHandler() {
        handler.close();
        LIVE.remove(this);
    }

    @Override
    protected boolean workersGone() {
        return dispatcher.workers.isEmpty();
    }

    /** The pids of the live workers, those still starting included, for tests and the curious. */
    @Override
    public List<Long> workerPids() {
        synchronized (lock) {
            List<Long> pids = new ArrayList<>();
            for (Worker w : dispatcher.workers) {
                if (!w.dead) {
                    pids.add(w.process.pid());
                }
            }
            return pids;
        }
    }

    // ---- sending -----------------------------------------------------------------------------------

    /** Assigns queued tasks to workers with room, then sends what was assigned. */
    private void dispatch() {
        List<Worker> toSend;
        synchronized (lock) {
            toSend = dispatcher.assign(state != State.RUNNING);
        }
        for (Worker w : toSend) {
            send(w);
        }
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
                        frames.add(PoolWire.defineHead(t.fnId));
                        frames.add(ByteBuffer.wrap(t.fnBytes));
                        w.lastFn = t.fnId;
                    }
                    addFrame(frames, t.frame);
                }
                if (w.quitSent && w.inFlight.isEmpty() && !w.dead && !w.quitWritten) {
                    w.quitWritten = true;
                    addFrame(frames, PoolWire.quitMessage());
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

    // ---- reading -----------------------------------------------------------------------------------

    /** A worker's reader: results as they come, deadlines, and the worker's death. */
    private void readLoop(Worker w) {
        if (!handler.awaitConnection(w, this::terminated)) {
            workerEnded(w);
            return;
        }
        while (true) {
            long waitNanos;
            synchronized (lock) {
                waitNanos = dispatcher.waitNanos(w, System.nanoTime());
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

    private boolean terminated() {
        return state == State.TERMINATED; // asked with the lock held
    }

    /** One message of a worker: the result of the task it runs, or its exception. */
    private void handle(Worker w, byte[] message) throws IOException, ClassNotFoundException {
        MessageReader in = new MessageReader("a pool message", message, 1, message.length - 1);
        long taskId = in.readLong();
        Task t;
        synchronized (lock) {
            t = dispatcher.finished(w, taskId, System.nanoTime());
        }
        if (t != null) {
            taskEnded(w, t.ranNanos, message[0] == PoolWire.RESULT ? PoolTaskEvent.OK : PoolTaskEvent.FAILED);
            PoolWire.readAnswer(message).deliverTo(t.job, t);
        }
    }

    private void replaced(Worker w, Integer exitCode, boolean underTask) {
        if (!Flight.recorderStarted()) {
            return;
        }
        WorkerReplacedEvent e = new WorkerReplacedEvent();
        if (e.shouldCommit()) {
            e.pool = name;
            e.endedPid = w.process.pid();
            e.exitCode = exitCode == null ? Integer.MIN_VALUE : exitCode;
            e.underTask = underTask;
            e.commit();
        }
    }

    /** The Flight Recorder's event of a task that ended on {@code w} (nothing while no recording asks for it). */
    private void taskEnded(Worker w, long ranNanos, String outcome) {
        if (!Flight.recorderStarted()) {
            return;
        }
        PoolTaskEvent e = new PoolTaskEvent();
        if (e.shouldCommit()) {
            e.pool = name;
            e.workerPid = w.process.pid();
            e.runTime = ranNanos;
            e.outcome = outcome;
            e.commit();
        }
    }

    // ---- healing -----------------------------------------------------------------------------------

    /**
     * The worker's pipe ended (or it died before it connected): settle what was in flight there, and
     * replace it if there is work, unless its slot keeps dying at start.
     */
    private void workerEnded(Worker w) {
        Integer exitCode = WorkerHandler.awaitExit(w);
        SocketTransport pipe;
        boolean hadWork;
        boolean diedAtStart;
        synchronized (lock) {
            pipe = w.pipe;
            hadWork = !w.inFlight.isEmpty();
            diedAtStart = !w.connected && state != State.TERMINATED;
        }
        if (pipe != null) {
            pipe.close();
        }
        // only a lost task or a failed start needs the worker's last words; reading them may wait for
        // the pipe to drain
        String stderrTail = hadWork || diedAtStart ? WorkerHandler.stderrTail(w) : "";
        Task lost;
        Throwable why = null;
        List<Task> refused = List.of();
        String brokenNow;
        synchronized (lock) {
            if (diedAtStart && broken == null) {
                broken = handler.diedAtStart(w, exitCode, stderrTail);
            }
            long ranNanos = System.nanoTime() - w.headSince;
            lost = dispatcher.lost(w);
            if (lost != null) {
                taskEnded(w, ranNanos, w.timedOut == lost ? PoolTaskEvent.TIMED_OUT : PoolTaskEvent.WORKER_LOST);
                why = w.timedOut == lost
                        ? new TimeoutException("the task ran past its deadline of " + Duration.ofNanos(lost.timeoutNanos)
                                + "; its worker " + w.process.name() + " (pid " + w.process.pid() + ") was killed")
                        : new WorkerLostException("the worker " + w.process.name() + " (pid " + w.process.pid()
                                + ") running this task died: " + WorkerHandler.describe(exitCode), exitCode, stderrTail);
            }
            if (broken != null) {
                refused = dispatcher.dropAll(false);
            } else if (state == State.RUNNING || (state == State.SHUTDOWN && !dispatcher.pending.isEmpty())) {
                try {
                    handler.start(w.slot);
                    replaced(w, exitCode, hadWork);
                } catch (RuntimeException e) {
                    System.getLogger("org.multiprocessing4j.pool").log(System.Logger.Level.WARNING, "cannot start a worker", e);
                }
            }
            if (dispatcher.workers.isEmpty()) {
                lock.notifyAll();
                if (state != State.RUNNING) {
                    closeHandler();
                }
            }
            brokenNow = broken;
        }
        if (lost != null) {
            lost.job.failed(lost, why);
        }
        for (Task t : refused) {
            t.job.failed(t, new ProcessError(brokenNow));
        }
        dispatch();
    }
}
