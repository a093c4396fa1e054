package org.multiprocessing4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.multiprocessing4j.internal.pool.Engine;
import org.multiprocessing4j.internal.pool.Task;

/**
 * A map in a pool: chunks that fill one result list in input order. Fails fast: once every chunk
 * before the first failed one is done, the map fails with that chunk's exception and the chunks not yet
 * done are dropped.
 */
final class MapJob<R> implements Engine.Job {
    private final Engine engine;
    private final int chunksize;
    private final Object[] values;
    final AsyncResult<List<R>> result;
    private List<Task> tasks = List.of();
    private boolean[] chunkDone;       // guarded by this
    private int leadingDone;           // guarded by this: chunks 0 .. leadingDone-1 are done
    private int remaining;             // guarded by this
    private int firstFailed = Integer.MAX_VALUE; // guarded by this
    private Throwable failure;         // guarded by this
    private boolean settled;           // guarded by this
    private final Pool.Progress progress; // null: nobody asked
    private int doneItems;             // guarded by this
    private int failedItems;           // guarded by this

    MapJob(Engine engine, int items, int chunksize, Pool.Progress progress) {
        this.engine = engine;
        this.progress = progress;
        this.chunksize = chunksize;
        this.values = new Object[items];
        this.result = new AsyncResult<>(kill -> engine.cancel(tasks, kill));
    }

    void start(List<Task> chunks) {
        synchronized (this) {
            this.tasks = chunks;
            this.chunkDone = new boolean[chunks.size()];
            this.remaining = chunks.size();
        }
        if (chunks.isEmpty()) {
            result.complete(List.of());
            return;
        }
        engine.submit(chunks);
    }

    @Override
    public void done(Task t, List<Object> results) {
        synchronized (this) {
            if (settled) {
                return;
            }
            int at = t.index() * chunksize;
            for (int i = 0; i < results.size(); i++) {
                values[at + i] = results.get(i);
            }
            chunkDone[t.index()] = true;
            remaining--;
            doneItems += results.size();
            tell();
            while (leadingDone < chunkDone.length && chunkDone[leadingDone]) {
                leadingDone++;
            }
        }
        settle();
    }

    @Override
    public void failed(Task t, Throwable error) {
        synchronized (this) {
            if (settled) {
                return;
            }
            if (t.index() < firstFailed) {
                firstFailed = t.index();
                failure = error;
            }
            failedItems += Math.min(chunksize, values.length - t.index() * chunksize);
            tell();
        }
        settle();
    }

    /** Tells the progress listener, if any. Caller holds this job's lock, which orders the calls. */
    private void tell() {
        if (progress != null) {
            progress.update(doneItems, values.length, failedItems);
        }
    }

    /** Completes or fails the result when it is known. */
    @SuppressWarnings("unchecked")
    private void settle() {
        Throwable fail = null;
        List<R> list = null;
        synchronized (this) {
            if (settled) {
                return;
            }
            if (failure != null && leadingDone >= firstFailed) {
                fail = failure;
            } else if (remaining == 0 && failure == null) {
                list = (List<R>) new ArrayList<>(Arrays.asList(values));
            } else {
                return;
            }
            settled = true;
        }
        if (fail != null) {
            engine.cancel(tasks, false);
            result.fail(fail);
        } else {
            result.complete(list);
        }
    }
}
