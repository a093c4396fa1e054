package org.multiprocessing4j;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.RunnableFuture;
import org.multiprocessing4j.internal.pool.Engine;
import org.multiprocessing4j.internal.pool.Task;

/**
 * One call in a pool, and the {@link AsyncResult} its caller holds: its task's outcome completes it.
 * {@link #run()} sends the call to a worker, once; a second call does nothing (as a {@code FutureTask}
 * runs once). Cancelling drops the call if it is still queued, and with {@code true} kills the worker
 * running it.
 */
final class ApplyJob<R> extends AsyncResult<R> implements Engine.Job, RunnableFuture<R> {
    private static final VarHandle STARTED;

    static {
        try {
            STARTED = MethodHandles.lookup().findVarHandle(ApplyJob.class, "started", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Engine engine;
    private final Task task;
    @SuppressWarnings("unused") // through STARTED
    private volatile boolean started;

    /**
     * @param bytes {@code callable} serialized, if the engine serializes
     * @param deadline null for the pool's default
     */
    ApplyJob(Engine engine, SerializableCallable<R> callable, byte[] bytes, Duration deadline) {
        super(null);
        this.engine = engine;
        this.task = engine.callTask(this, 0, callable, bytes, deadline);
    }

    /**
     * Sends the call to a worker, unless it was already.
     *
     * @throws IllegalStateException if the pool was shut down
     * @throws ProcessError if the pool is broken: its workers cannot start
     */
    @Override
    public void run() {
        if (STARTED.compareAndSet(this, false, true)) {
            engine.submit(List.of(task));
        }
    }

    @Override
    void cancelWork(boolean kill) {
        engine.cancel(List.of(task), kill);
    }

    @Override
    @SuppressWarnings("unchecked")
    public void done(Task t, List<Object> results) {
        complete((R) results.get(0));
    }

    @Override
    public void failed(Task t, Throwable error) {
        fail(error);
    }
}
