package org.multiprocessing4j.internal.launch;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.multiprocessing4j.internal.runtime.ExitActions;
import org.multiprocessing4j.internal.runtime.StartMethod;

/**
 * {@code forkserver}, the JVM's answer to a method a JVM cannot have: a spare child JVM is started
 * ahead of time, boots, warms its deserialization path and waits on stdin; {@code start()} hands it
 * the task and a new spare is started in the background. Every process still gets a JVM of its own
 * that ran nothing before, as with {@code spawn}; only the boot has been paid in advance.
 *
 * <p>Spares are started when this method is first chosen (by {@code setStartMethod} or
 * {@code getContext}) or first used, and kept at {@code multiprocessing4j.spares} (default 2: on two
 * cores, one boots while another is handed out). They are not children a user sees
 * ({@code activeChildren()} does not list them) and, like every child, they exit when their parent
 * dies. When no spare is there, a process is spawned cold. Spares that die before they are used (a
 * {@code java} or a class path on which no JVM starts) are not replaced once as many in a row as are
 * kept did: processes are spawned cold from then on, so a broken set-up costs no more JVMs than
 * {@code spawn} would. The spares are a service of this JVM (see
 * {@link ExitActions#service}): stopping it kills them and drops those being started; the next launch
 * starts new ones.
 */
public final class ForkserverLauncher implements Launcher {
    static final ForkserverLauncher INSTANCE = new ForkserverLauncher();
    private static final int SPARES = Math.max(0, Integer.getInteger("multiprocessing4j.spares", 2));

    private final Deque<ChildProcess> spares = new ArrayDeque<>(); // guarded by this
    private int starting;      // guarded by this: spares being launched
    private int generation;    // guarded by this: bumped by a stop, so late launches are dropped
    private int diedUnused;    // guarded by this: spares in a row found dead when taken; at SPARES, no more
    private final ExecutorService maker = new ThreadPoolExecutor(0, 1, 5, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(), new MakerThreads());

    private ForkserverLauncher() {
    }

    @Override
    public StartMethod method() {
        return StartMethod.FORKSERVER;
    }

    @Override
    public void prepare() {
        ensureRunning();
    }

    /** Starts spares up to the target without waiting for them. */
    void ensureRunning() {
        int toStart;
        int gen;
        synchronized (this) {
            toStart = diedUnused >= SPARES ? 0 : SPARES - spares.size() - starting;
            if (toStart <= 0) {
                return;
            }
            starting += toStart;
            gen = generation;
        }
        ExitActions.jvm().service(STOP);
        for (int i = 0; i < toStart; i++) {
            maker.execute(() -> addSpare(gen));
        }
    }

    @Override
    public ChildProcess launch(Task task) throws IOException {
        ChildProcess spare = takeSpare();
        ensureRunning();
        if (spare == null) {
            return SpawnLauncher.INSTANCE.launch(task);
        }
        SpawnLauncher.handOver(spare, task);
        return spare;
    }

    /** Ends every spare and drops those being started; later launches start new ones. */
    private synchronized void stopSpares() {
        generation++;
        starting = 0;
        diedUnused = 0;
        for (ChildProcess spare : spares) {
            spare.kill();
        }
        spares.clear();
    }

    private static final Runnable STOP = new Stop();

    /** The spares' service stop (see {@link ExitActions#service}). */
    private static final class Stop implements Runnable {
        @Override
        public void run() {
            INSTANCE.stopSpares();
        }
    }

    private synchronized ChildProcess takeSpare() {
        while (!spares.isEmpty()) {
            ChildProcess spare = spares.pollFirst(); // the oldest has come furthest in its boot
            if (spare.isAlive()) {
                diedUnused = 0;
                return spare;
            }
            diedUnused++;
        }
        return null;
    }

    private void addSpare(int gen) {
        ChildProcess spare = null;
        try {
            spare = SpawnLauncher.start(true, true); // a spare may become a pool worker, whose stderr tail is wanted
        } catch (IOException | RuntimeException e) {
            // no spare this time: a later start() spawns cold and tries again
        }
        synchronized (this) {
            if (gen != generation) {
                if (spare != null) {
                    spare.kill();
                }
                return;
            }
            starting--;
            if (spare != null) {
                spares.addLast(spare);
            }
        }
    }

    private static final class MakerThreads implements ThreadFactory {
        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "mp4j-forkserver");
            t.setDaemon(true);
            return t;
        }
    }
}
