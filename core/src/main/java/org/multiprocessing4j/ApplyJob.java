package org.multiprocessing4j;

import java.util.List;
import org.multiprocessing4j.internal.pool.Engine;
import org.multiprocessing4j.internal.pool.Task;

/** One call in a pool: its task's result completes the {@link AsyncResult}. */
final class ApplyJob<R> implements Engine.Job {
    private final Engine engine;
    final AsyncResult<R> result;
    private Task task;

    ApplyJob(Engine engine) {
        this.engine = engine;
        this.result = new AsyncResult<>(this::cancel);
    }

    void start(Task t) {
        this.task = t;
        engine.submit(List.of(t));
    }

    private void cancel(boolean kill) {
        engine.cancel(List.of(task), kill);
    }

    @Override
    @SuppressWarnings("unchecked")
    public void done(Task t, List<Object> results) {
        result.complete((R) results.get(0));
    }

    @Override
    public void failed(Task t, Throwable error) {
        result.fail(error);
    }
}
