package org.multiprocessing4j;

import java.io.IOException;
import java.io.Serializable;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.multiprocessing4j.internal.codec.Serialization;
import org.multiprocessing4j.internal.flight.Flight;
import org.multiprocessing4j.internal.flight.ProcessStartEvent;
import org.multiprocessing4j.internal.launch.ChildProcess;
import org.multiprocessing4j.internal.launch.ExitStatus;
import org.multiprocessing4j.internal.launch.Launcher;
import org.multiprocessing4j.internal.launch.ProcessBridge;
import org.multiprocessing4j.internal.launch.Spawning;
import org.multiprocessing4j.internal.pool.PoolWarmUp;
import org.multiprocessing4j.internal.queue.QueueWarmUp;
import org.multiprocessing4j.internal.runtime.ChildContext;
import org.multiprocessing4j.internal.runtime.ExitActions;
import org.multiprocessing4j.internal.runtime.StartMethod;
import org.multiprocessing4j.internal.wait.Deadline;

/**
 * A child JVM that runs one task, Python's {@code multiprocessing.Process}.
 *
 * <p>Give it a {@link SerializableRunnable} or subclass it and override {@link #run()}; then
 * {@link #start()} it and {@link #join()} it. The whole {@code Process} object, its target and the
 * fields of a subclass are serialized at {@code start()} and run in a new JVM started with this JVM's
 * {@code java}, class path and module path. What cannot be serialized fails at {@code start()}, naming
 * the class, before any JVM is started.
 *
 * <p>Like Python:
 * <ul>
 *   <li>names default to {@code Process-1}, {@code Process-2}, …; a child's own children are
 *       {@code Process-1:1}, …; {@link Multiprocessing#currentProcess()} in the child is this object.</li>
 *   <li>{@link #exitCode()} is null while running, 0 when {@code run()} returned, n after
 *       {@code System.exit(n)}, 1 after an uncaught exception (printed as {@code Process <name>:} and the
 *       stack trace on the child's stderr), {@code -N} when killed by signal N ({@code -15} after
 *       {@link #terminate()}, {@code -9} after {@link #kill()}). A child JVM that could not start at
 *       all makes {@code join()} and {@code exitCode()} throw a {@link ProcessError} saying why.</li>
 *   <li>the child exits when {@code run()} has returned or thrown and the non-daemon threads it started
 *       have ended, as a JVM does when {@code main} returns; daemon threads do not hold it, and
 *       {@link #terminate()} and {@link #kill()} end it at once.</li>
 *   <li>the JVM that started non-daemonic children waits for them before it exits ({@code main}
 *       returned or {@code System.exit}); daemonic children are terminated when it exits, and may not
 *       start children of their own. A JVM stopped by SIGTERM, SIGINT or SIGHUP terminates all its
 *       children instead of waiting, and kills those still there two seconds later.</li>
 *   <li>the child's stdout and stderr are this JVM's, so output interleaves as in Python; its
 *       {@code System.in} is empty.</li>
 * </ul>
 *
 * <p>Beyond Python: a child never outlives this JVM. When this JVM dies, even by {@code kill -9}, the
 * child notices on its lifeline (its stdin) and exits at once.
 *
 * <p>Note that this class shadows {@link java.lang.Process} once imported.
 *
 * <p>{@code Process} is {@link AutoCloseable}: {@link #close()} releases the handle of a process that
 * has ended. Methods are thread-safe.
 *
 * <p>A {@code Process} can be sent to another process (as a child's {@code currentProcess()} is), but
 * only the JVM that started it controls it: in a copy elsewhere {@code pid()} is null,
 * {@code isAlive()} false, and {@code join}, {@code terminate} and {@code kill} throw
 * {@link IllegalStateException}.
 */
public class Process implements Serializable, AutoCloseable {
    // The object alone: this JVM's process state is in Children, what the exit does to the children in
    // ExitFunction (CPython's process.py module globals and util._exit_function).
    private static final long serialVersionUID = 1L;

    private static volatile byte[] authkey; // the current process's (CPython's current_process().authkey)

    static {
        ProcessBridge.register(new ProcessBridge() {
            @Override
            public int runChild(Object process) {
                return ((Process) process).bootstrap();
            }

            @Override
            protected void captureStderr(Object process) {
                ((Process) process).captureStderr = true;
            }

            @Override
            protected void startMethod(Object process, StartMethod method) {
                ((Process) process).setStartMethod(method);
            }

            @Override
            public void warmUpSpare() {
                PoolWarmUp.runDeep(); // a spare may become a pool worker
            }

            @Override
            public void trainQueues() {
                QueueWarmUp.run();
            }

            @Override
            protected void quietStartFailure(Object process) {
                ((Process) process).quietStartFailure = true;
            }

            @Override
            protected Integer status(Object process) {
                ChildProcess p = ((Process) process).popen;
                return p == null ? null : p.poll();
            }

            @Override
            protected String stderrTail(Object process) {
                ChildProcess p = ((Process) process).popen;
                return p == null ? "" : p.stderrTail(500);
            }

            @Override
            protected byte[] processAuthkey() {
                return Process.authkey().clone();
            }
        });
    }

    // ---- the process object ----------------------------------------------------------------------
    private final SerializableRunnable target;
    private final int[] identity;
    private final long parentPid;
    private volatile String name;
    private volatile boolean daemon;
    private StartMethod startMethod; // null: the default at start()

    private transient volatile ChildProcess popen;
    private transient boolean captureStderr; // a pool worker: its stderr's tail is wanted when it dies
    private transient boolean quietStartFailure; // a pool worker: the pool reports a failure to start
    private transient volatile boolean closed;

    /**
     * A process that runs {@code target}, named {@code Process-N}.
     *
     * @throws NullPointerException if target is null (subclass and override {@link #run()} instead)
     */
    public Process(SerializableRunnable target) {
        this(Objects.requireNonNull(target, "target"), null);
    }

    /**
     * A process that runs {@code target}, with a name; a null name gives the default {@code Process-N}.
     *
     * @throws NullPointerException if target is null
     */
    public Process(SerializableRunnable target, String name) {
        this(Objects.requireNonNull(target, "target"), name, Children.current());
    }

    /** For subclasses that override {@link #run()}; named after the subclass, e.g. {@code Worker-1}. */
    protected Process() {
        this(null, null, Children.current());
    }

    private Process(SerializableRunnable target, String name, Process creator) {
        int count = Children.nextCount();
        int[] parentIdentity = creator.identity;
        this.identity = Arrays.copyOf(parentIdentity, parentIdentity.length + 1);
        this.identity[parentIdentity.length] = count;
        this.target = target;
        this.parentPid = ProcessHandle.current().pid();
        this.daemon = creator.daemon;
        this.name = name != null ? name : defaultName();
    }

    /** For {@code MainProcess} and {@code ParentProcess}: no counter, no identity of its own. */
    Process(String name, long pid) {
        this.target = null;
        this.identity = new int[0];
        this.parentPid = pid;
        this.name = name;
    }

    private String defaultName() {
        String kind = getClass().getSimpleName();
        if (kind.isEmpty()) {
            kind = "Process";
        }
        StringBuilder sb = new StringBuilder(kind).append('-');
        for (int i = 0; i < identity.length; i++) {
            sb.append(i == 0 ? "" : ":").append(identity[i]);
        }
        return sb.toString();
    }

    /**
     * What the child runs: the target given to the constructor. Subclasses override it. Called in the
     * child JVM; calling it directly runs the target in this thread, as in Python.
     */
    public void run() {
        if (target != null) {
            target.run();
        }
    }

    /**
     * Starts the child JVM and returns without waiting for it to run.
     *
     * @throws IllegalStateException if started before, closed, not created by this JVM, or this JVM is a
     *     daemonic process (which may not have children)
     * @throws IllegalArgumentException if the target or a field of a subclass cannot be serialized; the
     *     message names the class, and no JVM has been started
     * @throws ProcessError if the JVM cannot be started at all (no {@code java} executable, say)
     */
    public void start() {
        synchronized (this) {
            checkNotClosed();
            if (popen != null) {
                throw new IllegalStateException("cannot start a process twice");
            }
            if (parentPid != ProcessHandle.current().pid()) {
                throw new IllegalStateException("can only start a process object created by the current process");
            }
            if (Children.current().daemon) {
                throw new IllegalStateException("daemonic processes are not allowed to have children");
            }
            Children.reap();
            StartMethod method = startMethod != null ? startMethod : StartMethod.of(Multiprocessing.getStartMethod());
            Launcher launcher = Launcher.forMethod(method);
            launcher.beforeSerializing(); // what the child needs besides its task, made meanwhile on another thread
            byte[] task;
            boolean outer = Spawning.enter();
            try {
                task = Serialization.toBytes(this, "Process '" + name + "'");
            } catch (RuntimeException notSerializable) {
                Spawning.exit(outer).forEach(Runnable::run); // no child will take what was handed over
                throw notSerializable;
            }
            List<Runnable> afterChild = Spawning.exit(outer);
            Launcher.Task launch = new Launcher.Task(authkey(), ProcessHandle.current().pid(), Children.current().name,
                    method, task, captureStderr, name, !quietStartFailure);
            ExitFunction.install();
            ProcessStartEvent started = Flight.recorderStarted() ? new ProcessStartEvent() : null;
            if (started != null) {
                started.begin();
            }
            try {
                popen = launcher.launch(launch);
            } catch (IOException | RuntimeException e) {
                afterChild.forEach(Runnable::run);
                if (e instanceof RuntimeException r) {
                    throw r;
                }
                throw new ProcessError("cannot start a JVM for process '" + name + "': " + e.getMessage(), e);
            }
            if (started != null && started.shouldCommit()) {
                started.name = name;
                started.pid = popen.pid();
                started.startMethod = method.toString();
                started.commit();
            }
            for (Runnable work : afterChild) {
                popen.onExit().thenRun(work);
            }
            Children.add(this);
            if (!daemon) {
                Keeper.watch();
            }
        }
    }

    /**
     * Waits until the child ends.
     *
     * @throws IllegalStateException if not started, closed, or not a child of this JVM
     * @throws ProcessError if interrupted (the interrupt flag is restored); or if the child could not
     *     start, as {@link #exitCode()} says
     */
    public void join() {
        ChildProcess p = checkJoinable();
        try {
            p.waitFor(-1);
        } catch (InterruptedException e) {
            throw ProcessError.interrupted("join", e);
        }
        Children.remove(this);
        checkStarted(p);
    }

    /**
     * Waits until the child ends or the timeout elapses; a negative timeout is treated as zero, and
     * null is refused ({@link #join()} waits for ever).
     *
     * @return true if the child has ended
     * @throws IllegalStateException if not started, closed, or not a child of this JVM
     * @throws ProcessError if interrupted (the interrupt flag is restored); or if the child has ended
     *     and could not start, as {@link #exitCode()} says
     */
    public boolean join(Duration timeout) {
        ChildProcess p = checkJoinable();
        long nanos = Deadline.nanos(timeout);
        Integer code;
        try {
            code = p.waitFor(nanos);
        } catch (InterruptedException e) {
            throw ProcessError.interrupted("join", e);
        }
        if (code != null) {
            Children.remove(this);
            checkStarted(p);
        }
        return code != null;
    }

    /** True from {@code start()} until the child ends; the current process is always alive. */
    public boolean isAlive() {
        if (Children.isCurrent(this)) {
            return true;
        }
        checkNotClosed();
        ChildProcess p = popen;
        if (p == null) {
            return false;
        }
        if (p.poll() != null) {
            Children.remove(this);
            return false;
        }
        return true;
    }

    /**
     * Sends SIGTERM. The child halts at once without running shutdown hooks; {@link #exitCode()} becomes
     * {@code -15}. Its own children exit too, as their lifelines close. Does nothing to a child that has
     * ended.
     *
     * @throws IllegalStateException if not started or closed
     */
    public void terminate() {
        startedPopen().terminate();
    }

    /**
     * Sends SIGKILL; {@link #exitCode()} becomes {@code -9}. Does nothing to a child that has ended.
     *
     * @throws IllegalStateException if not started or closed
     */
    public void kill() {
        startedPopen().kill();
    }

    /**
     * The exit code: null before start and while running, 0 after a normal return, the status given to
     * {@code System.exit}, 1 after an uncaught exception, {@code -N} after death by signal N. The child
     * ends once {@code run()} has returned (or thrown) and the non-daemon threads it started have ended.
     *
     * <p>A child whose JVM ended before it ran its task could not start: its JVM could not load the
     * library (a class path the child cannot use, such as a Spring Boot fat jar's), rejected an option,
     * crashed at start, or could not deserialize the task. It has no exit code of {@code run()} to give:
     * this method and {@code join} throw a {@link ProcessError} saying so, with the JVM's exit code and
     * the end of its stderr (or, when its stderr is this JVM's, a pointer to it), and a warning with the
     * same message is logged when this JVM sees the child end ({@link System.Logger} named
     * {@code org.multiprocessing4j.launch}).
     *
     * @throws IllegalStateException if closed
     * @throws ProcessError if the child could not start
     */
    public Integer exitCode() {
        checkNotClosed();
        ChildProcess p = popen;
        if (p == null) {
            return null;
        }
        Integer code = p.poll();
        if (code != null) {
            checkStarted(p);
        }
        return code;
    }

    /** Throws if the child, which has ended, ended before it ran its task. */
    private static void checkStarted(ChildProcess p) {
        String failure = p.startFailure();
        if (failure != null) {
            throw new ProcessError(failure);
        }
    }

    /** The child's OS pid; null before start. For the current process, this JVM's pid. */
    public Long pid() {
        if (Children.isCurrent(this)) {
            return ProcessHandle.current().pid();
        }
        checkNotClosed();
        ChildProcess p = popen;
        return p == null ? null : p.pid();
    }

    /** The name, used in messages only; need not be unique. */
    public String name() {
        return name;
    }

    /** Renames the process. In the child, {@code currentProcess().name()} sees the new name only if set before start. */
    public void setName(String name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    public boolean isDaemon() {
        return daemon;
    }

    /**
     * Makes the process daemonic (or not). A daemonic child is terminated when its parent JVM exits,
     * and may not start children of its own.
     *
     * @throws IllegalStateException if the process has been started
     */
    public void setDaemon(boolean daemon) {
        synchronized (this) {
            if (popen != null) {
                throw new IllegalStateException("process has already started");
            }
            this.daemon = daemon;
        }
    }

    /**
     * Releases the handle of a process that has ended; afterwards {@code name()}, {@code isDaemon()} and
     * {@code toString()} still work, and {@code start}, {@code join}, {@code isAlive}, {@code terminate},
     * {@code kill}, {@code exitCode} and {@code pid} throw {@link IllegalStateException}. Closing twice is
     * allowed; closing a process never started is too.
     *
     * @throws IllegalStateException if the child is still running (join or terminate it first)
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            ChildProcess p = popen;
            if (p != null) {
                if (p.poll() == null) {
                    throw new IllegalStateException("Cannot close a process while it is still running. "
                            + "You should first call join() or terminate().");
                }
                p.close();
            }
            Children.remove(this);
            closed = true;
        }
    }

    /** Python's repr: {@code <Process name='Process-1' pid=4242 parent=4200 stopped exitcode=-SIGTERM daemon>}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("<").append(getClass().getSimpleName().isEmpty()
                ? "Process" : getClass().getSimpleName());
        sb.append(" name='").append(name).append('\'');
        ChildProcess p = popen;
        if (Children.isCurrent(this)) {
            sb.append(" pid=").append(ProcessHandle.current().pid()).append(" started");
        } else if (closed) {
            sb.append(" closed");
        } else if (p == null) {
            sb.append(" parent=").append(parentPid).append(" initial");
        } else {
            sb.append(" pid=").append(p.pid()).append(" parent=").append(parentPid);
            Integer code = p.poll();
            sb.append(code == null ? " started" : " stopped exitcode=" + ExitStatus.describe(code));
        }
        if (daemon) {
            sb.append(" daemon");
        }
        return sb.append('>').toString();
    }

    // ---- package-private plumbing -----------------------------------------------------------------

    /** Whether the child has ended, however (also when it could not start); never throws. */
    boolean hasEnded() {
        ChildProcess p = popen;
        return p != null && p.poll() != null;
    }

    /** Completes when the child has ended; empty if it was never started. */
    Optional<CompletableFuture<?>> onExit() {
        ChildProcess p = popen;
        return p == null ? Optional.empty() : Optional.of(p.onExit());
    }

    void setStartMethod(StartMethod method) {
        this.startMethod = method;
    }

    /** The handle on the child JVM; null before start. */
    ChildProcess popen() {
        return popen;
    }

    /** Whether the process is daemonic (the field, whatever a subclass makes of {@link #isDaemon()}). */
    boolean daemonic() {
        return daemon;
    }

    private void checkNotClosed() {
        if (closed) {
            throw new IllegalStateException("process object is closed");
        }
    }

    private ChildProcess startedPopen() {
        checkNotClosed();
        ChildProcess p = popen;
        if (p == null) {
            throw new IllegalStateException("process has not been started");
        }
        return p;
    }

    private ChildProcess checkJoinable() {
        checkNotClosed();
        if (parentPid != ProcessHandle.current().pid() || Children.isCurrent(this)) {
            throw new IllegalStateException("can only join a child process");
        }
        ChildProcess p = popen;
        if (p == null) {
            throw new IllegalStateException("can only join a started process");
        }
        return p;
    }

    static byte[] authkey() {
        byte[] key = authkey;
        if (key == null) {
            synchronized (Process.class) {
                key = authkey;
                if (key == null) {
                    key = ChildContext.authkey();
                    if (key == null) {
                        key = randomKey();
                    }
                    authkey = key;
                }
            }
        }
        return key;
    }

    /**
     * 32 random bytes for the authkey, read from the kernel's CSPRNG directly: a {@code SecureRandom}
     * would cost a JVM's first {@code start()} the loading of every security provider.
     */
    private static byte[] randomKey() {
        return org.multiprocessing4j.internal.runtime.Urandom.bytes(32);
    }

    /**
     * In the child JVM: Python's {@code BaseProcess._bootstrap}. Runs {@link #run()}, then the exit
     * function (which joins the non-daemonic children), reports an uncaught exception, then waits for
     * the threads {@code run()} left behind, as a JVM waits for them when {@code main} returns. Returns
     * the exit code: that of {@code run()}, whatever the threads do ({@code System.exit} in one of them
     * ends the JVM at once with its own status).
     */
    private int bootstrap() {
        Children.becomeCurrent(this);
        int code;
        Throwable uncaught = null;
        try {
            run();
            code = 0;
        } catch (Throwable t) {
            uncaught = t;
            code = 1;
        }
        ExitActions.jvm().runStage(ExitActions.Stage.FLUSH_FEEDERS); // the exit's first stages, early: see ExitActions
        ExitFunction.joinChildren();
        if (uncaught != null) {
            // stderr, not a logger: CPython's process.py prints this report of an uncaught exception there
            System.err.println("Process " + name + ":");
            uncaught.printStackTrace();
        }
        awaitOtherThreads();
        ExitActions.jvm().runStage(ExitActions.Stage.FLUSH_FEEDERS); // what those threads put
        System.out.flush();
        System.err.flush();
        return code;
    }

    /**
     * Python's {@code threading._shutdown}: waits until no thread but the calling one is alive and
     * non-daemon. A thread may start another before it ends, so it looks again after each one. Not
     * interruptible: SIGTERM and SIGKILL end the JVM meanwhile, and so does {@code System.exit}. The
     * library's own threads are daemon threads, but for the keeper of non-daemonic children, which
     * waits for them as this JVM should.
     */
    private static void awaitOtherThreads() {
        Thread self = Thread.currentThread();
        ThreadGroup root = self.getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        boolean interrupted = false;
        while (true) {
            Thread[] threads;
            int n;
            do {
                threads = new Thread[root.activeCount() * 2 + 16];
                n = root.enumerate(threads, true);
            } while (n == threads.length);
            Thread next = null;
            for (int i = 0; i < n && next == null; i++) {
                Thread t = threads[i];
                if (t != self && !t.isDaemon() && t.isAlive()) {
                    next = t;
                }
            }
            if (next == null) {
                if (interrupted) {
                    self.interrupt();
                }
                return;
            }
            while (next.isAlive()) {
                try {
                    next.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
    }
}
