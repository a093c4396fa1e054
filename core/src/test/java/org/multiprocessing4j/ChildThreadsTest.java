package org.multiprocessing4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A child JVM ends as a JVM does when {@code main} returns: once {@code run()} has returned (or thrown)
 * and the non-daemon threads it started have ended (Python's {@code threading._shutdown} in
 * {@code BaseProcess._bootstrap}); daemon threads do not hold it, and terminate ends it at once.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ChildThreadsTest {
    private static final Duration STILL_THERE = Duration.ofMillis(500);
    private static final Duration LONG = Duration.ofSeconds(20);

    private static Process process(String method, SerializableRunnable target) {
        return Multiprocessing.getContext(method).process(target);
    }

    @ParameterizedTest
    @ValueSource(strings = {"spawn", "forkserver"})
    void aChildWaitsForTheNonDaemonThreadsItsTargetLeft(String method) throws Exception {
        try (Event go = new Event()) {
            Queue<String> q = new Queue<>();
            Process p = process(method, () -> leaveThreads(go, q, false, null));
            p.start();
            assertThat(q.poll(LONG.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo("returned");
            assertThat(p.join(STILL_THERE)).as("run() returned, its thread's thread still waits").isFalse();
            assertThat(p.isAlive()).isTrue();
            go.set();
            assertThat(q.poll(LONG.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo("done");
            assertThat(p.join(LONG)).isTrue();
            assertThat(p.exitCode()).isZero();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"spawn", "forkserver"})
    void aDaemonThreadDoesNotHoldTheChild(String method) throws Exception {
        try (Event never = new Event()) {
            Queue<String> q = new Queue<>();
            Process p = process(method, () -> leaveThreads(never, q, true, null));
            p.start();
            assertThat(p.join(LONG)).isTrue();
            assertThat(p.exitCode()).isZero();
            assertThat(q.poll(LONG.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo("returned");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"spawn", "forkserver"})
    void anUncaughtExceptionStillWaitsForTheThreadsAndGivesOne(String method) throws Exception {
        try (Event go = new Event()) {
            Queue<String> q = new Queue<>();
            Process p = process(method, () -> leaveThreads(go, q, false, "thrown on purpose"));
            p.start();
            assertThat(q.poll(LONG.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo("returned");
            assertThat(p.join(STILL_THERE)).isFalse();
            go.set();
            assertThat(q.poll(LONG.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo("done");
            assertThat(p.join(LONG)).isTrue();
            assertThat(p.exitCode()).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"spawn", "forkserver"})
    void terminateEndsAChildWaitingForItsThreadAtOnce(String method) throws Exception {
        try (Event never = new Event()) {
            Queue<String> q = new Queue<>();
            Process p = process(method, () -> leaveThreads(never, q, false, null));
            p.start();
            assertThat(q.poll(LONG.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo("returned");
            assertThat(p.join(STILL_THERE)).isFalse();
            p.terminate();
            assertThat(p.join(Duration.ofSeconds(5))).isTrue();
            assertThat(p.exitCode()).isEqualTo(-15);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"spawn", "forkserver"})
    void systemExitInALeftThreadWins(String method) throws Exception {
        try (Event go = new Event()) {
            Process p = process(method, () -> exitLater(go, 7));
            p.start();
            assertThat(p.join(STILL_THERE)).isFalse();
            go.set();
            assertThat(p.join(LONG)).isTrue();
            assertThat(p.exitCode()).isEqualTo(7);
        }
    }

    /**
     * In the child: starts a thread that starts another and ends; that one waits for {@code go}, then
     * puts "done". Puts "returned" and returns, or throws {@code failure} if not null.
     */
    private static void leaveThreads(Event go, Queue<String> q, boolean daemon, String failure) {
        Thread second = new Thread(() -> {
            go.await();
            q.put("done");
        }, "second");
        second.setDaemon(daemon);
        Thread first = new Thread(second::start, "first");
        first.setDaemon(daemon);
        first.start();
        try {
            first.join();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        q.put("returned");
        if (failure != null) {
            throw new IllegalStateException(failure);
        }
    }

    /** In the child: a thread that waits for {@code go}, then calls {@code System.exit(status)}. */
    private static void exitLater(Event go, int status) {
        Thread t = new Thread(() -> {
            go.await();
            System.exit(status);
        }, "exiter");
        t.start();
    }
}
