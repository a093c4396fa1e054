package org.multiprocessing4j.internal.pool;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Which worker of a {@link PoolEngine} runs which task, and when a task's deadline has passed
 * (Python's task handler, with windows).
 *
 * <p>Each worker has a window of tasks in flight, run in the order sent, so the pool always knows
 * which task a worker is running. The window holds about {@value Window#WORK_MICROS} µs of work by
 * the worker's recent pace, between {@value #MIN_WINDOW} (the task it runs and the next, so that it
 * never waits) and {@value #MAX_WINDOW} (tiny tasks, sent and answered many per write), and never more
 * than the worker's share of the work there is. When a worker dies, the task it was running is retried
 * (up to the retries allowed) or handed back to fail, and the tasks queued behind it go back to the
 * front of the queue, in order.
 *
 * <p>Not thread-safe: every method is called with the engine's lock held. It does no I/O and starts
 * or kills nothing; the engine sends what was assigned and kills what overran.
 */
final class Dispatcher {
    /** Tasks in flight per worker, at least: the one it runs and the next, so that it never waits. */
    static final int MIN_WINDOW = 2;
    /** Tasks in flight per worker, at most. */
    static final int MAX_WINDOW = 64;
    /** How long an idle worker's reader waits before it looks again: a task with a deadline may come. */
    static final long IDLE_LOOK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final int size;
    private final int maxTasksPerChild;
    private final int retries;
    final ArrayDeque<Task> pending = new ArrayDeque<>(); // waiting for a worker, in order
    final List<Worker> workers = new ArrayList<>();      // the live ones, and those starting
    private int nextWorker;                              // where the next assignment starts

    /**
     * @param size the pool's number of workers
     * @param maxTasksPerChild tasks a worker is given before it is replaced; 0 for no limit
     * @param retries times a task whose worker died is run again before it fails
     */
    Dispatcher(int size, int maxTasksPerChild, int retries) {
        this.size = size;
        this.maxTasksPerChild = maxTasksPerChild;
        this.retries = retries;
    }

    /**
     * Assigns queued tasks to workers with room, one per worker in turn and no worker more than its
     * share of the work there is (so that a batch is shared out even when a worker's window is wide from
     * a run of tiny tasks before, or when the other workers are still starting); once {@code finishing}
     * and nothing is left to do, tells each idle worker to quit. Returns the workers with something to
     * send: their {@link Worker#outbox}, or a quit.
     */
    List<Worker> assign(boolean finishing) {
        List<Worker> toSend = new ArrayList<>();
        int n = workers.size();
        int outstanding = pending.size();
        for (Worker w : workers) {
            outstanding += w.inFlight.size();
        }
        int share = Math.max(MIN_WINDOW, (outstanding + size - 1) / size);
        boolean more = true;
        while (more && !pending.isEmpty()) {
            more = false;
            for (int i = 0; i < n && !pending.isEmpty(); i++) {
                Worker w = workers.get((nextWorker + i) % n);
                if (!hasRoom(w, share)) {
                    continue;
                }
                Task t = pending.pollFirst();
                if (t.finished) {
                    more = true;
                    continue;
                }
                if (w.inFlight.isEmpty()) {
                    w.headSince = System.nanoTime();
                }
                t.worker = w;
                w.inFlight.addLast(t);
                w.outbox.addLast(t);
                w.sent++;
                if (!toSend.contains(w)) {
                    toSend.add(w);
                }
                more = true;
            }
        }
        nextWorker = n == 0 ? 0 : (nextWorker + 1) % n;
        for (Worker w : workers) {
            if (finishing && pending.isEmpty() && w.inFlight.isEmpty() && !w.quitSent && !w.dead && w.connected) {
                w.quitSent = true;
                if (!toSend.contains(w)) {
                    toSend.add(w);
                }
            }
        }
        return toSend;
    }

    /** Whether a worker can take another task now, holding at most {@code share}. */
    private boolean hasRoom(Worker w, int share) {
        return !w.dead && w.connected && !w.quitSent && w.inFlight.size() < Math.min(w.window, share)
                && (maxTasksPerChild <= 0 || w.sent < maxTasksPerChild);
    }

    /**
     * The result of the task {@code w} runs has come, at {@code now}: the next task is the head, and the
     * window follows the worker's pace.
     *
     * @return the task, to report; null if it was cancelled meanwhile
     * @throws java.io.IOException if {@code taskId} is not the task the worker runs
     */
    Task finished(Worker w, long taskId, long now) throws java.io.IOException {
        Task t = w.inFlight.pollFirst();
        if (t == null || t.id != taskId) {
            throw new java.io.IOException("result for task " + taskId + ", but " + (t == null ? "none" : t.id) + " runs");
        }
        long took = now - w.headSince;
        w.paceNanos = Window.nextPace(w.paceNanos, took);
        w.window = Window.size(w.paceNanos, MIN_WINDOW, MAX_WINDOW);
        w.headSince = now;
        t.worker = null;
        t.ranNanos = took;
        boolean report = !t.finished;
        t.finished = true;
        return report ? t : null;
    }

    /**
     * How long {@code w}'s reader may wait for a result at {@code now}: until the deadline of the task it
     * runs, {@code -1} (for ever) if that has none, {@link #IDLE_LOOK_NANOS} if it runs nothing. A
     * deadline that has passed makes that task the worker's {@link Worker#timedOut}: it is to be killed.
     */
    long waitNanos(Worker w, long now) {
        Task head = w.inFlight.peekFirst();
        if (head == null) {
            return IDLE_LOOK_NANOS;
        }
        if (head.timeoutNanos == 0) {
            return -1;
        }
        long left = head.timeoutNanos - (now - w.headSince);
        if (left <= 0 && w.timedOut == null) {
            w.timedOut = head;
        }
        return left;
    }

    /**
     * Gives up a task: dropped if still queued; if it runs, returns its worker when {@code kill} (to
     * kill); a task in a window behind another is left to be sent and run, its result unreported.
     */
    Worker cancel(Task t, boolean kill) {
        if (t.finished) {
            return null;
        }
        t.finished = true;
        if (t.worker == null) {
            pending.remove(t);
            return null;
        }
        return kill && t.worker.inFlight.peekFirst() == t ? t.worker : null;
    }

    /**
     * {@code w} is dead and leaves the pool. The task it ran, unless finished, is run again while it has
     * retries left and did not overrun its deadline; else it is returned, finished, for the caller to
     * fail ({@link Worker#timedOut} tells whether it overran). The tasks queued behind it never started:
     * they go back to the front of the queue, in order, ahead of the task run again.
     */
    Task lost(Worker w) {
        w.dead = true;
        Task lost = null;
        Task head = w.inFlight.pollFirst();
        if (head != null && !head.finished) {
            if (w.timedOut != head && head.attempts < retries) {
                head.attempts++;
                head.worker = null;
                pending.addFirst(head);
            } else {
                head.finished = true;
                lost = head;
            }
        }
        Iterator<Task> rest = w.inFlight.descendingIterator();
        while (rest.hasNext()) {
            Task t = rest.next();
            t.worker = null;
            if (!t.finished) {
                pending.addFirst(t);
            }
        }
        w.inFlight.clear();
        w.outbox.clear();
        workers.remove(w);
        return lost;
    }

    /**
     * Drops every unfinished task, queued and, if {@code inFlightToo}, in flight, marking them finished;
     * returns them, for the caller to fail.
     */
    List<Task> dropAll(boolean inFlightToo) {
        List<Task> dropped = new ArrayList<>();
        for (Task t : pending) {
            if (!t.finished) {
                t.finished = true;
                dropped.add(t);
            }
        }
        pending.clear();
        if (inFlightToo) {
            for (Worker w : workers) {
                for (Task t : w.inFlight) {
                    if (!t.finished) {
                        t.finished = true;
                        dropped.add(t);
                    }
                }
            }
        }
        return dropped;
    }
}
