package org.multiprocessing4j;

import java.util.List;
import org.multiprocessing4j.internal.pool.PoolEngine;

/** One call in a pool: its task's result completes the {@link AsyncResult}. */
final class ApplyJob<R> implements PoolEngine.Job {
    private final PoolEngine engine;
    final AsyncResult<R> result;
    private PoolEngine.Task task;

    ApplyJob(PoolEngine engine) {
        this.engine = engine;
        this.result = new AsyncResult<>(this::cancel);
    }

    void start(PoolEngine.Task t) {
        this.task = t;
        engine.submit(List.of(t));
    }

    private void cancel(boolean kill) {
        engine.cancel(List.of(task), kill);
    }

    @Override
    @SuppressWarnings("unchecked")
    public void done(PoolEngine.Task t, List<Object> results) {
        result.complete((R) results.get(0));
    }

    @Override
    public void failed(PoolEngine.Task t, Throwable error) {
        result.fail(error);
    }
}
