package org.multiprocessing4j.internal.pool;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.multiprocessing4j.ProcessError;
import org.multiprocessing4j.TaskFunction;

/**
 * A pool's tasks on threads of this JVM, Python's {@code multiprocessing.pool.ThreadPool}: nothing is
 * serialized, and nothing can be killed. A task past its deadline, or cancelled with {@code kill}, fails
 * at once and its thread is interrupted; a thread that ignores the interrupt runs on until its task
 * returns, so a new thread takes its place in the pool meanwhile.
 *
 * <p>A thread whose initializer throws ends, and a new one takes its place; after
 * {@value StartFailures#ATTEMPTS} initializers in a row have thrown, the pool is broken, as a process
 * pool whose workers cannot start: its outstanding work fails, and new work is refused, with a
 * {@link ProcessError} whose cause is the last initializer's exception.
 *
 * <p>Thread-safe. Jobs are called without the lock held, from the worker threads (and the deadline
 * thread).
 */
public final class ThreadEngine extends EngineBase {
    private final Runnable initializer;
    private final ArrayDeque<Task> pending = new ArrayDeque<>(); // guarded by lock
    private final List<Thread> threads = new ArrayList<>();     // guarded by lock: live workers
    private final List<Thread> retired = new ArrayList<>();     // guarded by lock: to end after their task
    private final List<Task> running = new ArrayList<>();       // guarded by lock
    private final AtomicInteger threadNumbers = new AtomicInteger();
    private volatile ScheduledExecutorService deadlines; // created for the first task with a deadline
    private final StartFailures initializerFailures = new StartFailures(1); // guarded by lock: the pool's, in a row
    private ProcessError broken;                         // guarded by lock: once the initializers gave up

    /** Starts {@code size} threads, each running {@code initializer} (may be null) first. */
    public ThreadEngine(int size, Runnable initializer) {
        super(size);
        this.initializer = initializer;
        synchronized (lock) {
            for (int i = 0; i < size; i++) {
                startThread();
            }
        }
    }

    @Override
    public boolean serializes() {
        return false;
    }

    @Override
    public Task mapTask(Job job, int index, int fnId, Object fn, byte[] fnBytes, List<?> args, Duration timeout) {
        // a copy: the caller may change its list once map has returned, as with a process pool
        return new Task(newTaskId(), job, index, fnId, null, null, fn, new ArrayList<>(args), null,
                timeout == null ? 0 : timeout.toNanos());
    }

    @Override
    public Task callTask(Job job, int index, Callable<?> callable, byte[] bytes, Duration timeout) {
        return new Task(newTaskId(), job, index, -1, null, null, null, null, callable,
                timeout == null ? 0 : timeout.toNanos());
    }

    @Override
    public void submit(List<Task> tasks) {
        synchronized (lock) {
            if (broken != null) {
                throw new ProcessError(broken.getMessage(), broken.getCause());
            }
            checkRunning();
            pending.addAll(tasks);
            lock.notifyAll();
        }
    }

    @Override
    public void cancel(List<Task> tasks, boolean kill) {
        List<Thread> interrupt = new ArrayList<>();
        synchronized (lock) {
            for (Task t : tasks) {
                if (t.finished) {
                    continue;
                }
                t.finished = true;
                if (t.thread == null) {
                    pending.remove(t);
                } else if (kill) {
                    interrupt.add(t.thread);
                    retire(t.thread);
                }
            }
        }
        interrupt.forEach(Thread::interrupt);
    }

    @Override
    public void shutdown() {
        markShutdown();
    }

    @Override
    public void terminate() {
        List<Task> dropped = new ArrayList<>();
        List<Thread> all;
        synchronized (lock) {
            state = State.TERMINATED;
            for (Task t : pending) {
                t.finished = true;
                dropped.add(t);
            }
            pending.clear();
            // the running tasks: their threads are interrupted; what they return is no longer reported
            for (Task t : running) {
                if (!t.finished) {
                    t.finished = true;
                    dropped.add(t);
                }
            }
            all = new ArrayList<>(threads);
            all.addAll(retired);
            lock.notifyAll();
        }
        all.forEach(Thread::interrupt);
        ScheduledExecutorService d = deadlines;
        if (d != null) {
            d.shutdownNow();
        }
        CancellationException terminated = new CancellationException("the pool was terminated");
        for (Task t : dropped) {
            t.job.failed(t, terminated);
        }
    }

    @Override
    protected boolean workersGone() {
        return threads.isEmpty() && retired.isEmpty();
    }

    @Override
    public boolean join(long timeoutNanos) throws InterruptedException {
        if (!super.join(timeoutNanos)) {
            return false;
        }
        ScheduledExecutorService d = deadlines;
        if (d != null) {
            d.shutdown();
        }
        return true;
    }

    /** This JVM's pid, once per live thread: the threads' process. */
    @Override
    public List<Long> workerPids() {
        synchronized (lock) {
            return Collections.nCopies(threads.size(), ProcessHandle.current().pid());
        }
    }

    // ---- threads -----------------------------------------------------------------------------------

    /** Caller holds the lock. */
    private void startThread() {
        Thread th = new Thread(this::work, "mp4j-threadpool-worker-" + threadNumbers.incrementAndGet());
        th.setDaemon(true); // as Python's: a pool left open does not keep the JVM alive
        threads.add(th);
        th.start();
    }

    /**
     * A thread whose task failed at once (deadline, cancel) but which may run on: it ends after that
     * task, and a new thread takes its place now. Caller holds the lock.
     */
    private void retire(Thread th) {
        if (threads.remove(th)) {
            retired.add(th);
            if (state != State.TERMINATED) {
                startThread();
            }
        }
    }

    /** Runs the initializer; false if it threw, the thread then ends (replaced, or the pool broken). */
    private boolean initialized(Thread me) {
        if (initializer == null) {
            return true;
        }
        try {
            initializer.run();
            synchronized (lock) {
                initializerFailures.connected(0);
            }
            return true;
        } catch (RuntimeException | Error e) {
            System.getLogger("org.multiprocessing4j.pool").log(System.Logger.Level.WARNING,
                    "the initializer of " + me.getName() + " threw", e);
            List<Task> dropped = new ArrayList<>();
            ProcessError gaveUp;
            synchronized (lock) {
                if (broken == null && initializerFailures.died(0)) {
                    broken = new ProcessError("the pool's initializer threw in " + initializerFailures.inARow(0)
                            + " threads in a row; the last: " + e, e);
                    for (Task t : pending) {
                        t.finished = true;
                        dropped.add(t);
                    }
                    pending.clear();
                } else if (broken == null && state != State.TERMINATED) {
                    startThread();
                }
                gaveUp = broken;
            }
            for (Task t : dropped) {
                t.job.failed(t, gaveUp);
            }
            return false;
        }
    }

    private void work() {
        Thread me = Thread.currentThread();
        try {
            if (!initialized(me)) {
                return;
            }
            while (true) {
                Task t;
                synchronized (lock) {
                    while (pending.isEmpty() && state == State.RUNNING && !retired.contains(me)) {
                        lock.wait();
                    }
                    if (state == State.TERMINATED || pending.isEmpty() || retired.contains(me)) {
                        return;
                    }
                    t = pending.pollFirst();
                    if (t.finished) {
                        continue;
                    }
                    t.thread = me;
                    running.add(t);
                }
                run(t);
            }
        } catch (InterruptedException e) {
            // terminated while waiting for work
        } catch (RuntimeException | Error e) {
            System.getLogger("org.multiprocessing4j.pool").log(System.Logger.Level.WARNING, me.getName() + " ended", e);
        } finally {
            synchronized (lock) {
                threads.remove(me);
                retired.remove(me);
                lock.notifyAll();
            }
        }
    }

    private void run(Task t) {
        ScheduledFuture<?> timer = t.timeoutNanos == 0 ? null
                : deadlines().schedule(() -> overran(t), t.timeoutNanos, TimeUnit.NANOSECONDS);
        List<Object> results = null;
        Throwable error = null;
        try {
            results = t.callable != null ? Collections.singletonList(t.callable.call()) : applyEach(t.fn, t.args);
        } catch (Throwable e) {
            error = e;
        }
        if (timer != null) {
            timer.cancel(false);
        }
        boolean report;
        synchronized (lock) {
            running.remove(t);
            t.thread = null;
            report = !t.finished;
            t.finished = true;
        }
        Thread.interrupted(); // an interrupt meant for this task must not reach the next
        if (report) {
            if (error == null) {
                t.job.done(t, results);
            } else {
                t.job.failed(t, error);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Object> applyEach(Object fn, List<?> args) throws Exception {
        return WorkerMain.applyEach((TaskFunction<Object, Object>) fn, args);
    }

    /** A task ran past its deadline: it fails now, its thread is interrupted and replaced. */
    private void overran(Task t) {
        Thread th;
        synchronized (lock) {
            if (t.finished || t.thread == null) {
                return;
            }
            t.finished = true;
            th = t.thread;
            retire(th);
        }
        th.interrupt();
        t.job.failed(t, new TimeoutException("the task ran past its deadline of " + Duration.ofNanos(t.timeoutNanos)
                + "; its thread " + th.getName() + " was interrupted (a thread cannot be killed: if it ignores"
                + " the interrupt it runs on until the task returns, and a new thread has taken its place)"));
    }

    private ScheduledExecutorService deadlines() {
        ScheduledExecutorService d = deadlines;
        if (d == null) {
            synchronized (lock) {
                d = deadlines;
                if (d == null) {
                    ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(1, r -> {
                        Thread th = new Thread(r, "mp4j-threadpool-deadlines");
                        th.setDaemon(true);
                        return th;
                    });
                    s.setRemoveOnCancelPolicy(true);
                    deadlines = d = s;
                }
            }
        }
        return d;
    }
}
