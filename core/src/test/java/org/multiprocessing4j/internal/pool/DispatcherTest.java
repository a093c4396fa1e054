package org.multiprocessing4j.internal.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The windowing of a pool's tasks over its workers, without processes: pure bookkeeping, in milliseconds. */
class DispatcherTest {
    private static final Engine.Job NOBODY = new Engine.Job() {
        @Override
        public void done(Task task, List<Object> results) {
        }

        @Override
        public void failed(Task task, Throwable error) {
        }
    };
    private long ids;

    private Task task(long timeoutNanos) {
        long id = ++ids;
        return new Task(id, NOBODY, (int) id, -1, null, new byte[0], null, null, null, timeoutNanos);
    }

    private List<Task> tasks(int n) {
        List<Task> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(task(0));
        }
        return out;
    }

    /** {@code n} new tasks, queued in {@code d}. */
    private List<Task> queue(Dispatcher d, int n) {
        List<Task> all = tasks(n);
        d.pending.addAll(all);
        return all;
    }

    private static Worker connected(Dispatcher d, int number) {
        Worker w = new Worker(number, number - 1, null);
        w.connected = true;
        d.workers.add(w);
        return w;
    }

    @Test
    void eachWorkerGetsAtMostItsWindowAndTheRestWaits() {
        Dispatcher d = new Dispatcher(2, 0, 0);
        Worker a = connected(d, 1);
        Worker b = connected(d, 2);
        List<Task> all = queue(d, 10);

        assertThat(d.assign(false)).containsExactlyInAnyOrder(a, b);
        assertThat(a.inFlight).hasSize(Dispatcher.MIN_WINDOW);
        assertThat(b.inFlight).hasSize(Dispatcher.MIN_WINDOW);
        assertThat(a.outbox).containsExactlyElementsOf(a.inFlight);
        assertThat(d.pending).containsExactlyElementsOf(all.subList(4, 10));
        assertThat(a.inFlight.peekFirst().worker).isSameAs(a);

        assertThat(d.assign(false)).as("full windows take nothing more").isEmpty();
    }

    @Test
    void aResultRefillsTheWindowInOrder() throws IOException {
        Dispatcher d = new Dispatcher(1, 0, 0);
        Worker w = connected(d, 1);
        List<Task> all = queue(d, 5);
        d.assign(false);
        w.outbox.clear(); // sent
        Task head = w.inFlight.peekFirst();

        // a slow task (1 s): the window stays at its least
        Task done = d.finished(w, head.id, w.headSince + TimeUnit.SECONDS.toNanos(1));
        assertThat(done).isSameAs(head);
        assertThat(done.finished).isTrue();
        assertThat(done.worker).isNull();
        assertThat(w.window).isEqualTo(Dispatcher.MIN_WINDOW);
        assertThat(w.inFlight).containsExactly(all.get(1));

        assertThat(d.assign(false)).containsExactly(w);
        assertThat(w.inFlight).containsExactly(all.get(1), all.get(2));
        assertThat(w.outbox).containsExactly(all.get(2));
    }

    @Test
    void fastTasksWidenTheWindowUpToItsMostAndTheWorkersShare() throws IOException {
        Dispatcher d = new Dispatcher(1, 0, 0);
        Worker w = connected(d, 1);
        d.pending.addAll(tasks(200));
        d.assign(false);
        Task head = w.inFlight.peekFirst();
        d.finished(w, head.id, w.headSince + 1_000); // 1 µs a task
        assertThat(w.window).isEqualTo(Dispatcher.MAX_WINDOW);
        d.assign(false);
        assertThat(w.inFlight).hasSize(Dispatcher.MAX_WINDOW);

        Dispatcher two = new Dispatcher(2, 0, 0);
        Worker wide = connected(two, 1);
        Worker other = connected(two, 2);
        wide.window = Dispatcher.MAX_WINDOW;
        other.window = Dispatcher.MAX_WINDOW;
        two.pending.addAll(tasks(10));
        two.assign(false);
        assertThat(wide.inFlight).as("no more than its share of 10 over 2").hasSize(5);
        assertThat(other.inFlight).hasSize(5);
    }

    @Test
    void workersNotConnectedDeadQuittingOrSpentTakeNothing() {
        Dispatcher d = new Dispatcher(4, 3, 0);
        Worker starting = new Worker(1, 0, null);
        d.workers.add(starting);
        Worker dead = connected(d, 2);
        dead.dead = true;
        Worker quitting = connected(d, 3);
        quitting.quitSent = true;
        Worker spent = connected(d, 4);
        spent.sent = 3;
        d.pending.addAll(tasks(4));

        assertThat(d.assign(false)).isEmpty();
        assertThat(d.pending).hasSize(4);

        spent.sent = 2;
        d.assign(false);
        assertThat(spent.inFlight).as("maxTasksPerChild counts every task sent").hasSize(1);
    }

    @Test
    void finishingWithNothingLeftTellsIdleConnectedWorkersToQuitOnce() {
        Dispatcher d = new Dispatcher(2, 0, 0);
        Worker idle = connected(d, 1);
        Worker busy = connected(d, 2);
        busy.inFlight.add(task(0));
        Worker starting = new Worker(3, 2, null);
        d.workers.add(starting);

        assertThat(d.assign(false)).isEmpty();
        assertThat(d.assign(true)).containsExactly(idle);
        assertThat(idle.quitSent).isTrue();
        assertThat(busy.quitSent).isFalse();
        assertThat(starting.quitSent).isFalse();
        assertThat(d.assign(true)).isEmpty();
    }

    @Test
    void aCancelledTaskIsDroppedFromTheQueueOrItsRunningWorkerIsGivenToKill() throws IOException {
        Dispatcher d = new Dispatcher(1, 0, 0);
        Worker w = connected(d, 1);
        List<Task> all = queue(d, 4);
        d.assign(false); // 0 and 1 in flight, 2 and 3 queued

        assertThat(d.cancel(all.get(3), true)).isNull();
        assertThat(d.pending).containsExactly(all.get(2));
        assertThat(d.cancel(all.get(1), true)).as("queued behind the head: left to run").isNull();
        assertThat(d.cancel(all.get(0), false)).isNull();
        assertThat(d.cancel(all.get(0), true)).as("finished already").isNull();
        Task other = all.get(2);
        d.pending.remove(other);
        w.inFlight.clear();
        w.inFlight.add(other);
        other.worker = w;
        assertThat(d.cancel(other, true)).isSameAs(w);

        assertThat(d.finished(w, other.id, System.nanoTime())).as("a cancelled task's result is not reported").isNull();
    }

    @Test
    void aResultForAnotherTaskThanTheHeadIsAnError() {
        Dispatcher d = new Dispatcher(1, 0, 0);
        Worker w = connected(d, 1);
        d.pending.addAll(tasks(2));
        d.assign(false);
        assertThatThrownBy(() -> d.finished(w, 2, System.nanoTime())).isInstanceOf(IOException.class)
                .hasMessageContaining("result for task 2, but 1 runs");
    }

    @Test
    void theDeadWorkersHeadFailsAndTheTasksBehindItGoBackToTheFrontInOrder() {
        Dispatcher d = new Dispatcher(1, 0, 0);
        Worker w = connected(d, 1);
        w.window = 3;
        List<Task> all = queue(d, 5);
        d.assign(false); // share 5, window 3: 0, 1, 2 in flight

        Task lost = d.lost(w);
        assertThat(lost).isSameAs(all.get(0));
        assertThat(lost.finished).isTrue();
        assertThat(d.pending).containsExactly(all.get(1), all.get(2), all.get(3), all.get(4));
        assertThat(all.get(1).worker).isNull();
        assertThat(w.dead).isTrue();
        assertThat(w.inFlight).isEmpty();
        assertThat(d.workers).isEmpty();
    }

    @Test
    void aTaskWithRetriesLeftRunsAgainFirstUnlessItOverranItsDeadline() {
        Dispatcher d = new Dispatcher(1, 0, 1);
        Worker w = connected(d, 1);
        List<Task> all = queue(d, 3);
        d.assign(false);
        assertThat(d.lost(w)).isNull();
        assertThat(d.pending).as("the tasks that were behind it first, then the retried one")
                .containsExactly(all.get(1), all.get(0), all.get(2));
        assertThat(all.get(0).attempts).isEqualTo(1);

        d.pending.remove(all.get(0));
        d.pending.addFirst(all.get(0));
        Worker next = connected(d, 2);
        d.assign(false);
        assertThat(d.lost(next)).as("its one retry is used").isSameAs(all.get(0));

        Worker third = connected(d, 3);
        d.assign(false);
        third.timedOut = third.inFlight.peekFirst();
        assertThat(d.lost(third)).as("a task that overran is not retried").isSameAs(all.get(1));
        assertThat(all.get(1).attempts).isZero();
    }

    @Test
    void theReaderWaitsUntilTheHeadsDeadlineAndMarksItOnceItPassed() {
        Dispatcher d = new Dispatcher(1, 0, 0);
        Worker w = connected(d, 1);
        assertThat(d.waitNanos(w, System.nanoTime())).as("idle").isEqualTo(Dispatcher.IDLE_LOOK_NANOS);

        d.pending.add(task(0));
        d.assign(false);
        assertThat(d.waitNanos(w, w.headSince + TimeUnit.HOURS.toNanos(1))).as("no deadline").isEqualTo(-1);

        Dispatcher timed = new Dispatcher(1, 0, 0);
        Worker v = connected(timed, 1);
        Task t = task(TimeUnit.SECONDS.toNanos(2));
        timed.pending.add(t);
        timed.assign(false);
        assertThat(timed.waitNanos(v, v.headSince + TimeUnit.SECONDS.toNanos(1))).isEqualTo(TimeUnit.SECONDS.toNanos(1));
        assertThat(v.timedOut).isNull();
        assertThat(timed.waitNanos(v, v.headSince + TimeUnit.SECONDS.toNanos(3))).isNegative();
        assertThat(v.timedOut).isSameAs(t);
    }

    @Test
    void dropAllFinishesTheQueuedAndOptionallyTheInFlightTasks() {
        Dispatcher d = new Dispatcher(1, 0, 0);
        connected(d, 1);
        List<Task> all = queue(d, 4);
        d.assign(false);
        assertThat(d.dropAll(false)).containsExactly(all.get(2), all.get(3));
        assertThat(d.pending).isEmpty();
        assertThat(d.dropAll(true)).containsExactly(all.get(0), all.get(1));
        assertThat(all).allMatch(t -> t.finished);
        assertThat(d.dropAll(true)).isEmpty();
    }
}
