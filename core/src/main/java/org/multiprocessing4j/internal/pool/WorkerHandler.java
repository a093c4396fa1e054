package org.multiprocessing4j.internal.pool;

import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.multiprocessing4j.Process;
import org.multiprocessing4j.ProcessError;
import org.multiprocessing4j.SerializableRunnable;
import org.multiprocessing4j.internal.launch.ExitStatus;
import org.multiprocessing4j.internal.launch.ProcessBridge;
import org.multiprocessing4j.internal.runtime.RuntimeDir;
import org.multiprocessing4j.internal.runtime.StartMethod;
import org.multiprocessing4j.internal.wire.AuthServer;
import org.multiprocessing4j.internal.wire.RawFrames;
import org.multiprocessing4j.internal.wire.SocketTransport;

/**
 * The worker processes of a {@link PoolEngine} (Python's {@code _handle_workers} and
 * {@code _repopulate_pool}): starts them, hands each the connection it opens to the pool's listener,
 * and tells, when one has ended, how it ended. A worker connects when it is ready (warmed up, its
 * initializer run: see {@link WorkerMain}), so a connected worker can take tasks at once; one that dies
 * before it has connected counts against its slot ({@link StartFailures}): the engine stops replacing
 * workers after too many.
 *
 * <p>Workers connect to a Unix socket in the runtime directory, authenticated with the pool's key, and
 * say their number first; a connection from no worker it waits for is closed. {@link #close()} closes
 * the listener, once the last worker has gone. Thread-safe: methods that say so are called with the
 * engine's lock held; the acceptor thread takes that lock.
 */
final class WorkerHandler {
    private static final AtomicInteger POOLS = new AtomicInteger();
    private static final Object CLOSED = new Object();

    private final Object lock;
    private final Dispatcher dispatcher; // its worker list, guarded by lock
    private final SerializableRunnable initializer;
    private final int maxTasksPerChild;
    private final StartMethod startMethod;
    private final String workerName;
    private final Consumer<Worker> reader;   // the loop of a worker's reader thread
    private final Runnable onConnect;        // called, without the lock, when a worker has connected
    private final AtomicInteger workerNumbers = new AtomicInteger();
    private final StartFailures startFailures; // guarded by lock
    private final AuthServer listener;
    /** The authenticated workers' connections, in arrival order, then CLOSED once the listener is. */
    private final LinkedBlockingQueue<Object> arrivals = new LinkedBlockingQueue<>();

    /**
     * Opens the listener and starts the acceptor thread; starts no worker.
     *
     * @param reader run in a new thread for each worker started
     * @param onConnect run after a worker has connected
     */
    WorkerHandler(Object lock, Dispatcher dispatcher, int size, SerializableRunnable initializer, int maxTasksPerChild,
                  StartMethod startMethod, String workerName, Consumer<Worker> reader, Runnable onConnect) {
        this.lock = lock;
        this.dispatcher = dispatcher;
        this.initializer = initializer;
        this.maxTasksPerChild = maxTasksPerChild;
        this.startMethod = startMethod;
        this.workerName = workerName;
        this.reader = reader;
        this.onConnect = onConnect;
        this.startFailures = new StartFailures(size);
        this.listener = AuthServer.start("unix:" + RuntimeDir.get().resolve("pool-" + POOLS.incrementAndGet() + ".sock"),
                ProcessBridge.authkey(), "mp4j-pool-listener", arrivals::add);
        Thread acceptor = new Thread(this::acceptLoop, "mp4j-pool-acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Starts a worker for {@code slot}, adds it to the dispatcher's workers, and starts its reader. Caller holds the lock. */
    void start(int slot) {
        String address = listener.address();
        int number = workerNumbers.incrementAndGet();
        Process p = new Process(new WorkerMain.Target(address, number, initializer, maxTasksPerChild),
                workerName + "-" + number);
        p.setDaemon(true);
        ProcessBridge.setStartMethod(p, startMethod);
        ProcessBridge.pipeStderr(p);
        ProcessBridge.reportStartFailureByCaller(p);
        p.start();
        Worker w = new Worker(number, slot, p);
        dispatcher.workers.add(w);
        Thread t = new Thread(() -> reader.accept(w), "mp4j-pool-reader-" + p.name());
        t.setDaemon(true);
        t.start();
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
                number = PoolWire.readHello(RawFrames.recv(c));
            } catch (RuntimeException e) {
                c.close();
                continue;
            }
            boolean taken = false;
            synchronized (lock) {
                for (Worker w : dispatcher.workers) {
                    if (w.number == number && !w.connected && !w.dead) {
                        c.parkWithoutSpinning(); // on two cores a spinning reader takes a worker's CPU
                        w.connect(c);
                        startFailures.connected(w.slot);
                        taken = true;
                        lock.notifyAll();
                    }
                }
            }
            if (taken) {
                onConnect.run();
            } else {
                c.close();
            }
        }
    }

    /**
     * Waits until the worker has connected; false if it died, or {@code terminated} said so, first.
     * Polls the process every 10 ms under the lock, which a connection notifies.
     */
    boolean awaitConnection(Worker w, java.util.function.BooleanSupplier terminated) {
        synchronized (lock) {
            while (!w.connected) {
                if (!w.process.isAlive() || terminated.getAsBoolean()) {
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

    /**
     * Waits for a worker whose pipe ended to end, killing it if it runs on (it is no use any more);
     * returns its exit code, null if unknown. Waits up to two seconds, twice.
     */
    static Integer awaitExit(Worker w) {
        awaitEnd(w);
        Integer exitCode = ProcessBridge.exitStatus(w.process);
        if (exitCode == null) {
            w.process.kill();
            awaitEnd(w);
            exitCode = ProcessBridge.exitStatus(w.process);
        }
        return exitCode;
    }

    private static void awaitEnd(Worker w) {
        try {
            w.process.join(Duration.ofSeconds(2));
        } catch (ProcessError interruptedOrNotStarted) {
            // a worker that could not start has ended: the caller asks how; if interrupted, it gives up
        }
    }

    /** The end of what the worker wrote to stderr; may wait for the pipe to drain. */
    static String stderrTail(Worker w) {
        return ProcessBridge.lastStderr(w.process);
    }

    /** How the worker ended, for a message: "exit code 1", "exit code -SIGKILL". */
    static String describe(Integer exitCode) {
        return exitCode == null ? "its exit code is unknown" : "exit code " + ExitStatus.describe(exitCode);
    }

    /**
     * A worker died before it connected. Caller holds the lock.
     *
     * @return why the pool gives up, if this was one too many in its slot; else null
     */
    String diedAtStart(Worker w, Integer exitCode, String stderrTail) {
        if (!startFailures.died(w.slot)) {
            return null;
        }
        return "the pool's workers cannot start: " + startFailures.inARow(w.slot) + " in a row in one slot"
                + " ended before they were ready (connected, their initializer run), the last, "
                + w.process.name() + " (pid " + w.process.pid() + "), with " + describe(exitCode) + "; "
                + (stderrTail.isBlank() ? "it wrote nothing to stderr"
                : "its stderr ended with:\n" + stderrTail.strip());
    }

    /** Closes the listener and the connections not taken yet, and ends the acceptor. Caller holds the lock. */
    void close() {
        listener.close();
        for (Object o; (o = arrivals.poll()) != null; ) {
            if (o instanceof SocketTransport t) {
                t.close();
            }
        }
        arrivals.add(CLOSED);
    }
}
