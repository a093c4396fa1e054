package org.multiprocessing4j;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RunnableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.multiprocessing4j.internal.codec.Serialization;
import org.multiprocessing4j.internal.pool.Engine;
import org.multiprocessing4j.internal.pool.PoolAccess;
import org.multiprocessing4j.internal.pool.PoolEngine;
import org.multiprocessing4j.internal.pool.Task;
import org.multiprocessing4j.internal.runtime.StartMethod;
import org.multiprocessing4j.internal.wait.Deadline;

/**
 * A pool of worker processes, Python's {@code multiprocessing.Pool}, and an {@link ExecutorService}.
 * Each worker is a JVM of its own, started with the pool ({@link ThreadPool}: the same on threads).
 * The constructor starts the workers' JVMs and returns without waiting for them to boot; work waits
 * until a worker is ready (booted, warmed up, its {@linkplain Builder#initializer initializer} run) and
 * goes to each worker the moment it is, so a map begins on the first worker ready while the others boot.
 * A task's deadline counts from when a ready worker is given it, never a worker's boot.
 *
 * <p>Work: {@link #map} (results in input order), {@link #imap} and {@link #imapUnordered} (lazy: at
 * most {@link Builder#readAhead(int) readAhead} items are read from the input ahead of the results
 * consumed, so an infinite input works), {@link #apply}, and their asynchronous forms returning an
 * {@link AsyncResult}. Functions, callables and arguments must be serializable; one that is not fails
 * at the call, naming its class, and nothing is sent. A task's exception reaches the caller: from
 * {@code apply}/{@code map} an unchecked one as itself (its stack trace is the worker's), a checked one
 * inside a {@link RemoteException}; from an {@link AsyncResult} as the cause of an
 * {@link ExecutionException}. {@code map} fails fast: the first failure in input order is thrown as
 * soon as every chunk before it is done, and the remaining chunks are dropped.
 *
 * <p>Blocking: {@code map}, {@code starmap} and {@code apply} wait, without a time limit, until every
 * result is in; an interrupt throws {@link ProcessError} (the flag restored) and the work goes on. To
 * bound or abandon the wait, use the {@code ...Async} form, with {@link AsyncResult#get(Duration)} and
 * {@code cancel}. Terminated meanwhile, they throw {@link java.util.concurrent.CancellationException}.
 *
 * <p>Beyond Python: a worker that dies in the middle of a task ({@code kill -9}, {@code System.exit},
 * {@code Runtime.halt}, an {@code OutOfMemoryError}, a native crash) fails that task alone with
 * {@link WorkerLostException} (or runs it again, see {@link Builder#retries(int)}) and is replaced; a
 * task that runs past its deadline ({@link Builder#taskTimeout}, {@link #applyAsync(SerializableCallable,
 * Duration)}) has its worker killed and replaced, and fails with {@link TimeoutException}; the other
 * tasks go on. A worker that dies before it is ready (its JVM cannot load the library from the class
 * path it was given, or rejects an option, or its initializer throws) is replaced too, but when that happens three times in a row to one worker's place the pool gives up: its
 * outstanding work fails, and new work is refused, with a {@link ProcessError} giving the worker's exit
 * code and the end of its stderr.
 *
 * <p>Lifecycle: {@link #shutdown()} (Python's {@code close()}) takes no more work and lets the workers
 * exit when the queued work is done; {@link #join()} waits for them; {@link #terminate()} kills them at
 * once, failing unfinished work with {@link java.util.concurrent.CancellationException}. {@link #close()}
 * (try-with-resources) is {@code shutdown()} then {@code join()}: the block waits for the work. Work
 * submitted to a pool that was shut down fails with {@link IllegalStateException} (from the
 * {@code ExecutorService} methods, {@link java.util.concurrent.RejectedExecutionException}, as that
 * interface says). {@code shutdown()} and {@code terminate()} may be called again, to no effect. When
 * this JVM exits, a pool whose workers still live is terminated first and its unfinished work is lost
 * (with a warning logged if it was never shut down): close the pool, or {@code shutdown()} and
 * {@code join()} it, before {@code main} returns.
 *
 * <p>Thread-safe: any thread may submit work, map, shut the pool down or terminate it.
 *
 * <p>As an {@link ExecutorService} ({@code submit}, {@code invokeAll}, {@code invokeAny},
 * {@code execute}) a task runs in a worker like {@link #applyAsync(SerializableCallable)}: it must be
 * serializable ({@link SerializableCallable}, {@link SerializableRunnable}), else the call throws
 * {@link IllegalArgumentException} and nothing is sent; a pool that was shut down rejects it with
 * {@link java.util.concurrent.RejectedExecutionException}; the {@code Future} returned is an
 * {@link AsyncResult}, whose {@code cancel(true)} kills the worker running the task.
 */
public class Pool extends AbstractExecutorService implements AutoCloseable {
    private final Engine engine;
    private final int readAhead;
    /** Runs the callbacks of {@code applyAsync}; its thread starts with the first. */
    private final ExecutorService callbacks = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "mp4j-pool-callbacks");
        t.setDaemon(true);
        return t;
    });

    /** A pool of {@link Multiprocessing#cpuCount()} workers. */
    public Pool() {
        this(builder());
    }

    /**
     * A pool of {@code processes} workers.
     *
     * @throws IllegalArgumentException if {@code processes} is less than 1
     */
    public Pool(int processes) {
        this(builder().processes(processes));
    }

    private Pool(Builder b) {
        int n = b.processes > 0 ? b.processes : Multiprocessing.cpuCount();
        StartMethod method = StartMethod.of(
                b.context != null ? b.context.getStartMethod() : Multiprocessing.getStartMethod());
        String prefix = switch (method) {
            case FORKSERVER -> "ForkServerPoolWorker";
            case SPAWN -> "SpawnPoolWorker";
        };
        this.engine = new PoolEngine(n, b.initializer, b.maxTasksPerChild, b.taskTimeout, b.retries, method, prefix);
        this.readAhead = b.readAhead > 0 ? b.readAhead : Math.max(64, 16 * n);
    }

    /** A pool on another engine ({@link ThreadPool}). */
    Pool(Engine engine) {
        this(engine, 0);
    }

    /** A pool on another engine; {@code readAhead} 0 for the default. */
    private Pool(Engine engine, int readAhead) {
        this.engine = engine;
        this.readAhead = readAhead > 0 ? readAhead : Math.max(64, 16 * engine.size());
    }

    static {
        PoolAccess.register(new PoolAccess() {
            @Override
            public Object newPool(Engine engine, int readAhead) {
                return new Pool(engine, readAhead);
            }

            @Override
            public Settings settings(Object builder) {
                Builder b = (Builder) builder;
                return new Settings(b.processes, b.initializer, b.maxTasksPerChild, b.taskTimeout, b.retries,
                        b.readAhead);
            }
        });
    }

    /** Options beyond the number of processes. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link Pool}; every option is checked when set. */
    public static final class Builder {
        private int processes;
        private SerializableRunnable initializer;
        private int maxTasksPerChild;
        private Duration taskTimeout;
        private int retries;
        private int readAhead;
        private Context context;

        private Builder() {
        }

        /**
         * Starts the workers with this context's start method (Python's {@code ctx.Pool()}); default: the
         * start method in force when the pool is built. With {@code "forkserver"}, workers are JVMs started
         * ahead of time, whose pool code has already run: a pool starts and gets going faster.
         */
        public Builder context(Context context) {
            this.context = Objects.requireNonNull(context, "context");
            return this;
        }

        /** The number of workers (default: {@link Multiprocessing#cpuCount()}). */
        public Builder processes(int n) {
            this.processes = atLeast(1, n, "Number of processes must be at least 1");
            return this;
        }

        /**
         * Runs once in every worker before its first task, including workers that replace others; the
         * worker takes work once it has returned. A worker whose initializer throws dies before it is
         * ready: the pool replaces it, and gives up, as when a worker cannot start, after three in a row.
         */
        public Builder initializer(SerializableRunnable initializer) {
            this.initializer = Objects.requireNonNull(initializer, "initializer");
            return this;
        }

        /** A worker is replaced by a fresh one after this many tasks (chunks); default: never. */
        public Builder maxTasksPerChild(int n) {
            this.maxTasksPerChild = atLeast(1, n, "maxTasksPerChild must be a positive number");
            return this;
        }

        /**
         * The deadline of every task (a chunk of a map, or a call): a task that runs longer has its worker
         * killed and replaced, and fails with {@link TimeoutException}. Default: none.
         */
        public Builder taskTimeout(Duration timeout) {
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("taskTimeout must be positive, not " + timeout);
            }
            this.taskTimeout = timeout;
            return this;
        }

        /** How many times a task whose worker died is run again before it fails (default 0). */
        public Builder retries(int n) {
            this.retries = atLeast(0, n, "retries must not be negative");
            return this;
        }

        /** How many input items {@code imap} reads ahead of the results consumed (default 16 per worker, at least 64). */
        public Builder readAhead(int items) {
            this.readAhead = atLeast(1, items, "readAhead must be at least 1");
            return this;
        }

        public Pool build() {
            return new Pool(this);
        }
    }

    // ---- map ---------------------------------------------------------------------------------------

    /**
     * Applies {@code fn} to every item in worker processes; the results in input order. Chunks of
     * Python's default size ({@code len / (4 × processes)}, rounded up).
     */
    public <T, R> List<R> map(TaskFunction<? super T, ? extends R> fn, Iterable<? extends T> items) {
        return this.<T, R>mapAsync(fn, items).join();
    }

    /** {@link #map(TaskFunction, Iterable)} in chunks of {@code chunksize} items. */
    public <T, R> List<R> map(TaskFunction<? super T, ? extends R> fn, Iterable<? extends T> items,
                              int chunksize) {
        return this.<T, R>mapAsync(fn, items, chunksize).join();
    }

    /** {@link #map(TaskFunction, Iterable)} without waiting. */
    public <T, R> AsyncResult<List<R>> mapAsync(TaskFunction<? super T, ? extends R> fn,
                                                 Iterable<? extends T> items) {
        List<T> list = materialize(items);
        int chunksize = list.size() / (4 * engine.size()) + (list.size() % (4 * engine.size()) != 0 ? 1 : 0);
        return mapAsync(fn, list, Math.max(1, chunksize));
    }

    /** {@link #map(TaskFunction, Iterable, int)} without waiting. */
    public <T, R> AsyncResult<List<R>> mapAsync(TaskFunction<? super T, ? extends R> fn,
                                                 Iterable<? extends T> items, int chunksize) {
        return mapAsync(fn, items, chunksize, null);
    }

    /**
     * What a map has done so far. Called by a thread of the pool each time a chunk finishes (never
     * twice at once for one map, in increasing order); keep it short, since results wait for it.
     */
    @FunctionalInterface
    public interface Progress {
        /**
         * @param done items whose results are in
         * @param total items in the map
         * @param failed items in chunks that failed
         */
        void update(int done, int total, int failed);
    }

    /** {@link #map(TaskFunction, Iterable, int)}, telling {@code progress} as chunks finish. */
    public <T, R> List<R> map(TaskFunction<? super T, ? extends R> fn, Iterable<? extends T> items,
                              int chunksize, Progress progress) {
        return this.<T, R>mapAsync(fn, items, chunksize, progress).join();
    }

    /** {@link #mapAsync(TaskFunction, Iterable, int)}, telling {@code progress} (may be null). */
    public <T, R> AsyncResult<List<R>> mapAsync(TaskFunction<? super T, ? extends R> fn,
                                                 Iterable<? extends T> items, int chunksize, Progress progress) {
        atLeast(1, chunksize, "chunksize must be at least 1");
        byte[] fnBytes = serialize(Objects.requireNonNull(fn, "fn"), "the function");
        List<T> list = materialize(items);
        MapJob<R> job = new MapJob<>(engine, list.size(), chunksize, progress);
        int fnId = engine.newFunctionId();
        List<Task> tasks = new ArrayList<>();
        for (int from = 0, index = 0; from < list.size(); from += chunksize, index++) {
            tasks.add(engine.mapTask(job, index, fnId, fn, fnBytes, list.subList(from, Math.min(list.size(), from + chunksize)),
                    null));
        }
        job.start(tasks);
        return job.result;
    }

    // ---- starmap -----------------------------------------------------------------------------------

    /**
     * Python's {@code starmap}: applies {@code fn} to the two values of each pair in worker processes; the
     * results in input order, with Python's default chunks. A pair is a {@link Map.Entry}:
     * {@code Map.entry(a, b)}, or the entries of a map; for more arguments, {@link #map} a record.
     */
    public <A, B, R> List<R> starmap(TaskBiFunction<? super A, ? super B, ? extends R> fn,
                                     Iterable<? extends Map.Entry<? extends A, ? extends B>> pairs) {
        return this.<A, B, R>starmapAsync(fn, pairs).join();
    }

    /** {@link #starmap(TaskBiFunction, Iterable)} in chunks of {@code chunksize} pairs. */
    public <A, B, R> List<R> starmap(TaskBiFunction<? super A, ? super B, ? extends R> fn,
                                     Iterable<? extends Map.Entry<? extends A, ? extends B>> pairs, int chunksize) {
        return this.<A, B, R>starmapAsync(fn, pairs, chunksize).join();
    }

    /** {@link #starmap(TaskBiFunction, Iterable)} without waiting. */
    public <A, B, R> AsyncResult<List<R>> starmapAsync(TaskBiFunction<? super A, ? super B, ? extends R> fn,
                                                       Iterable<? extends Map.Entry<? extends A, ? extends B>> pairs) {
        return mapAsync(new StarCall<R>(Objects.requireNonNull(fn, "fn")), starArgs(pairs));
    }

    /** {@link #starmap(TaskBiFunction, Iterable, int)} without waiting. */
    public <A, B, R> AsyncResult<List<R>> starmapAsync(TaskBiFunction<? super A, ? super B, ? extends R> fn,
                                                       Iterable<? extends Map.Entry<? extends A, ? extends B>> pairs,
                                                       int chunksize) {
        return mapAsync(new StarCall<R>(Objects.requireNonNull(fn, "fn")), starArgs(pairs), chunksize);
    }

    private static List<StarCall.Args> starArgs(Iterable<? extends Map.Entry<?, ?>> pairs) {
        List<StarCall.Args> args = new ArrayList<>();
        for (Map.Entry<?, ?> pair : Objects.requireNonNull(pairs, "pairs")) {
            args.add(new StarCall.Args(Objects.requireNonNull(pair, "a pair")));
        }
        return args;
    }

    // ---- imap --------------------------------------------------------------------------------------

    /** Lazily applies {@code fn} to the items, one per task; results in input order as they come. */
    public <T, R> ResultIterator<R> imap(TaskFunction<? super T, ? extends R> fn, Iterable<? extends T> items) {
        return imap(fn, items, 1);
    }

    /** {@link #imap(TaskFunction, Iterable)} in chunks of {@code chunksize} items. */
    public <T, R> ResultIterator<R> imap(TaskFunction<? super T, ? extends R> fn, Iterable<? extends T> items,
                                         int chunksize) {
        return iterate(fn, items, chunksize, true);
    }

    /** Like {@link #imap(TaskFunction, Iterable)}, results in the order they are ready. */
    public <T, R> ResultIterator<R> imapUnordered(TaskFunction<? super T, ? extends R> fn,
                                                  Iterable<? extends T> items) {
        return imapUnordered(fn, items, 1);
    }

    /** {@link #imapUnordered(TaskFunction, Iterable)} in chunks of {@code chunksize} items. */
    public <T, R> ResultIterator<R> imapUnordered(TaskFunction<? super T, ? extends R> fn,
                                                  Iterable<? extends T> items, int chunksize) {
        return iterate(fn, items, chunksize, false);
    }

    private <T, R> ResultIterator<R> iterate(TaskFunction<? super T, ? extends R> fn,
                                             Iterable<? extends T> items, int chunksize, boolean ordered) {
        atLeast(1, chunksize, "chunksize must be at least 1");
        byte[] fnBytes = serialize(Objects.requireNonNull(fn, "fn"), "the function");
        checkRunning();
        return new ImapJob<>(engine, fn, fnBytes, engine.newFunctionId(), Objects.requireNonNull(items, "items").iterator(),
                chunksize, ordered, Math.max(readAhead, chunksize));
    }

    // ---- apply -------------------------------------------------------------------------------------

    /** Calls {@code task} in a worker and returns its result; its exception as {@link #map} throws it. */
    public <R> R apply(SerializableCallable<R> task) {
        return applyAsync(task).join();
    }

    /** Calls {@code task} in a worker. */
    public <R> AsyncResult<R> applyAsync(SerializableCallable<R> task) {
        return applyAsync(task, (Duration) null);
    }

    /**
     * Calls {@code task} in a worker, killing the worker if the call runs longer than {@code deadline}
     * (null: the pool's {@link Builder#taskTimeout}); it then fails with {@link TimeoutException}.
     */
    public <R> AsyncResult<R> applyAsync(SerializableCallable<R> task, Duration deadline) {
        if (deadline != null && (deadline.isNegative() || deadline.isZero())) {
            throw new IllegalArgumentException("the deadline must be positive, not " + deadline);
        }
        ApplyJob<R> job = applyJob(task, deadline);
        job.run();
        return job;
    }

    private <R> ApplyJob<R> applyJob(SerializableCallable<R> task, Duration deadline) {
        byte[] bytes = serialize(Objects.requireNonNull(task, "task"), "the task");
        return new ApplyJob<>(engine, task, bytes, deadline);
    }

    /**
     * Calls {@code task} in a worker, then {@code callback} with its result or {@code errorCallback} with
     * its exception, on a thread of this pool's (never the one delivering other results). The pool has
     * one such thread, so a slow callback delays the others. {@code errorCallback} gets the exception
     * itself: the task's, a {@link WorkerLostException}, a {@link TimeoutException} past a deadline, or a
     * {@link java.util.concurrent.CancellationException} when the task was cancelled or the pool
     * terminated. Once the pool is joined or terminated, no further callback runs.
     */
    public <R> AsyncResult<R> applyAsync(SerializableCallable<R> task, Consumer<? super R> callback,
                                         Consumer<? super Throwable> errorCallback) {
        AsyncResult<R> result = applyAsync(task);
        result.future().whenCompleteAsync((value, error) -> {
            if (error == null) {
                if (callback != null) {
                    callback.accept(value);
                }
            } else if (errorCallback != null) {
                errorCallback.accept(error);
            }
        }, callbacks);
        return result;
    }

    // ---- lifecycle ---------------------------------------------------------------------------------

    /** Python's {@code close()}: no new work; the workers exit once the queued work is done. */
    @Override
    public void shutdown() {
        engine.shutdown();
    }

    /** Kills the workers now; unfinished work fails with {@link java.util.concurrent.CancellationException}. */
    public void terminate() {
        engine.terminate();
        stopCallbacks();
    }

    /**
     * Waits, without a time limit, until every worker has exited ({@link #awaitTermination} waits for a
     * while).
     *
     * @throws IllegalStateException if the pool is still running: {@link #shutdown()} or {@link #terminate()} first
     * @throws ProcessError if interrupted (the interrupt flag is restored)
     */
    public void join() {
        try {
            engine.join(-1);
        } catch (InterruptedException e) {
            throw ProcessError.interrupted("join", e);
        }
        stopCallbacks();
    }

    /** {@link #shutdown()} then {@link #join()}: waits for the work. Closing twice is allowed. */
    @Override
    public void close() {
        shutdown();
        join();
    }

    /**
     * The pids of the live workers, those still booting included (each has its pid from the moment the
     * pool started its JVM, before it is ready); they change as workers are replaced.
     */
    public List<Long> workerPids() {
        return engine.workerPids();
    }

    // ---- ExecutorService ---------------------------------------------------------------------------

    /**
     * The {@code Future} of {@code submit}, {@code invokeAll} and {@code invokeAny}: an
     * {@link AsyncResult}, which {@link #execute} sends to a worker.
     *
     * @throws IllegalArgumentException if the task is not serializable (use {@link SerializableCallable})
     */
    @Override
    protected <T> RunnableFuture<T> newTaskFor(Callable<T> task) {
        return applyJob(serializable(task), null);
    }

    /**
     * {@link #newTaskFor(Callable)} of {@code task} then {@code result}.
     *
     * @throws IllegalArgumentException if the task is not serializable (use {@link SerializableRunnable})
     */
    @Override
    protected <T> RunnableFuture<T> newTaskFor(Runnable task, T result) {
        SerializableRunnable r = serializable(task);
        return applyJob(() -> {
            r.run();
            return result;
        }, null);
    }

    /**
     * Runs {@code command} in a worker.
     *
     * @throws IllegalArgumentException if it is not serializable (use {@link SerializableRunnable})
     * @throws java.util.concurrent.RejectedExecutionException if the pool was shut down or terminated
     * @throws ProcessError if the pool is broken: its workers cannot start
     */
    @Override
    public void execute(Runnable command) {
        RunnableFuture<?> job = command instanceof ApplyJob<?> j ? j : newTaskFor(command, null);
        try {
            job.run();
        } catch (IllegalStateException shutDown) {
            throw new java.util.concurrent.RejectedExecutionException(shutDown.getMessage(), shutDown);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Not the JDK's: that one wraps each task in a {@code FutureTask} of its own, which cannot be sent
     * to a worker. The tasks are sent at once; the first to succeed wins, and the others are cancelled.
     */
    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks) throws InterruptedException, ExecutionException {
        try {
            return invokeAny(tasks, Long.MAX_VALUE, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("cannot happen: no timeout", e);
        }
    }

    /** {@inheritDoc} As {@link #invokeAny(Collection)}, within the timeout. */
    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
            throws InterruptedException, ExecutionException, TimeoutException {
        if (tasks.isEmpty()) {
            throw new IllegalArgumentException("no tasks");
        }
        long deadline = timeout == Long.MAX_VALUE ? Deadline.NEVER : Deadline.at(Math.max(0, unit.toNanos(timeout)));
        LinkedBlockingQueue<AsyncResult<T>> done = new LinkedBlockingQueue<>();
        List<AsyncResult<T>> all = new ArrayList<>();
        try {
            for (Callable<T> t : tasks) {
                AsyncResult<T> r;
                try {
                    r = applyAsync(serializable(t));
                } catch (IllegalStateException shutDown) {
                    throw new java.util.concurrent.RejectedExecutionException(shutDown.getMessage(), shutDown);
                }
                all.add(r);
                r.future().whenComplete((v, e) -> done.add(r));
            }
            ExecutionException last = null;
            for (int i = 0; i < all.size(); i++) {
                AsyncResult<T> r = deadline == Deadline.NEVER ? done.take()
                        : done.poll(Deadline.remainingNanos(deadline), TimeUnit.NANOSECONDS);
                if (r == null) {
                    throw new TimeoutException("no task finished in time");
                }
                try {
                    return r.get();
                } catch (ExecutionException e) {
                    last = e;
                } catch (CancellationException e) {
                    last = new ExecutionException(e);
                }
            }
            throw last;
        } finally {
            for (AsyncResult<T> r : all) {
                r.cancel(true);
            }
        }
    }

    /** {@link #terminate()}; returns an empty list (queued tasks are failed, not handed back). */
    @Override
    public List<Runnable> shutdownNow() {
        terminate();
        return List.of();
    }

    @Override
    public boolean isShutdown() {
        return engine.isShutdown();
    }

    @Override
    public boolean isTerminated() {
        return engine.isTerminated();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = Deadline.at(Math.max(0, unit.toNanos(timeout)));
        if (!engine.awaitShutdown(Deadline.remainingNanos(deadline))) {
            return false;
        }
        return engine.join(Deadline.remainingNanos(deadline));
    }

    @Override
    public String toString() {
        return "<" + getClass().getSimpleName() + (engine.serializes() ? " processes=" : " threads=")
                + engine.size() + (engine.isTerminated() ? " terminated"
                : engine.isShutdown() ? " shut down" : "") + ">";
    }

    // ---- plumbing ----------------------------------------------------------------------------------

    private void checkRunning() {
        if (engine.isShutdown()) {
            throw new IllegalStateException("the pool is shut down; it takes no new work");
        }
    }

    /**
     * {@code n}, if it is at least {@code min}.
     *
     * @throws IllegalArgumentException if not: "{@code rule}, not {@code n}"
     */
    static int atLeast(int min, int n, String rule) {
        if (n < min) {
            throw new IllegalArgumentException(rule + ", not " + n);
        }
        return n;
    }

    @SuppressWarnings("unchecked")
    private static <T> List<T> materialize(Iterable<? extends T> items) {
        Objects.requireNonNull(items, "items");
        if (items instanceof List<?> l) {
            return (List<T>) l;
        }
        List<T> list = items instanceof Collection<?> c ? new ArrayList<>(c.size()) : new ArrayList<>();
        for (T t : items) {
            list.add(t);
        }
        return list;
    }

    /** {@code o} serialized, when tasks cross into worker processes; else null. */
    private byte[] serialize(Object o, String what) {
        return engine.serializes() ? Serialization.toBytes(o, what) : null;
    }

    @SuppressWarnings("unchecked")
    private <T> SerializableCallable<T> serializable(Callable<T> task) {
        Objects.requireNonNull(task, "task");
        if (task instanceof SerializableCallable<?> s) {
            return (SerializableCallable<T>) s;
        }
        if (engine.serializes() && !(task instanceof Serializable)) {
            throw new IllegalArgumentException("a task for a process pool must be serializable; "
                    + task.getClass().getName() + " is not (use SerializableCallable)");
        }
        Callable<T> t = task;
        return t::call;
    }

    private SerializableRunnable serializable(Runnable task) {
        Objects.requireNonNull(task, "task");
        if (task instanceof SerializableRunnable s) {
            return s;
        }
        if (engine.serializes() && !(task instanceof Serializable)) {
            throw new IllegalArgumentException("a task for a process pool must be serializable; "
                    + task.getClass().getName() + " is not (use SerializableRunnable)");
        }
        Runnable r = task;
        return r::run;
    }

    private void stopCallbacks() {
        callbacks.shutdown();
    }
}
