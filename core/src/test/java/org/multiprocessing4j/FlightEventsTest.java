package org.multiprocessing4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Flight Recorder's events, as a recording running in this JVM sees them (a {@link RecordingStream}):
 * a process's start and end, each task of a pool with its outcome, and a worker replaced. Real child JVMs.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FlightEventsTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    /**
     * A recording of some of the library's events, running until closed, and the events as they come;
     * {@link #await} takes the first that matches, keeping the others.
     */
    private static final class Events implements AutoCloseable {
        final BlockingQueue<RecordedEvent> arrived = new LinkedBlockingQueue<>();
        final List<RecordedEvent> seen = new ArrayList<>();
        final RecordingStream recording = new RecordingStream();

        /** Records the events {@code names} (without their {@code org.multiprocessing4j.} prefix) from now on. */
        static Events record(String... names) {
            Events events = new Events();
            for (String name : names) {
                events.recording.enable("org.multiprocessing4j." + name);
            }
            events.recording.onEvent(events.arrived::add);
            events.recording.startAsync();
            return events;
        }

        @Override
        public void close() {
            recording.close();
        }

        RecordedEvent await(String name, Predicate<RecordedEvent> matches) throws InterruptedException {
            String full = "org.multiprocessing4j." + name;
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (true) {
                for (RecordedEvent e : seen) {
                    if (e.getEventType().getName().equals(full) && matches.test(e)) {
                        return e;
                    }
                }
                RecordedEvent next = arrived.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (next == null) {
                    throw new AssertionError("no " + full + " event that matches; seen: " + seen);
                }
                seen.add(next);
            }
        }
    }

    @Test
    void aRecordingSeesProcessesPoolTasksAndReplacedWorkers() throws Exception {
        try (Events events = Events.record("ProcessStart", "ProcessEnd", "PoolTask", "WorkerReplaced")) {

            Process p = new Process(() -> System.exit(3), "exits-with-3");
            p.start();
            p.join();
            long pid = p.pid();
            RecordedEvent start = events.await("ProcessStart", e -> e.getLong("pid") == pid);
            assertThat(start.getString("name")).isEqualTo("exits-with-3");
            assertThat(start.getString("startMethod")).isEqualTo(Multiprocessing.getStartMethod());
            assertThat(start.getDuration()).isPositive();
            RecordedEvent end = events.await("ProcessEnd", e -> e.getLong("pid") == pid);
            assertThat(end.getString("name")).isEqualTo("exits-with-3");
            assertThat(end.getInt("exitCode")).isEqualTo(3);
            assertThat(end.getBoolean("ranTask")).isTrue();

            try (Pool pool = new Pool(1)) {
                long worker = pool.workerPids().get(0);
                assertThat(pool.apply(() -> 6 * 7)).isEqualTo(42);
                RecordedEvent ok = events.await("PoolTask", e -> e.getString("outcome").equals("ok"));
                assertThat(ok.getLong("workerPid")).isEqualTo(worker);
                assertThat(ok.getString("pool")).startsWith("pool-");
                assertThat(ok.getLong("runTime")).isPositive();

                assertThatThrownBy(() -> pool.apply(() -> {
                    throw new IllegalStateException("refused");
                })).isInstanceOf(IllegalStateException.class).hasMessage("refused");
                events.await("PoolTask", e -> e.getString("outcome").equals("failed") && e.getLong("workerPid") == worker);

                assertThatThrownBy(() -> pool.applyAsync(() -> {
                    LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(60));
                    return 0;
                }, Duration.ofMillis(200)).get()).isInstanceOf(ExecutionException.class)
                        .hasCauseInstanceOf(TimeoutException.class);
                RecordedEvent timedOut = events.await("PoolTask", e -> e.getString("outcome").equals("timed out"));
                assertThat(timedOut.getLong("workerPid")).isEqualTo(worker);
                assertThat(timedOut.getLong("runTime")).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(200));
                RecordedEvent replaced = events.await("WorkerReplaced", e -> e.getLong("endedPid") == worker);
                assertThat(replaced.getBoolean("underTask")).isTrue();
                assertThat(replaced.getInt("exitCode")).isEqualTo(-9);
                events.await("ProcessEnd", e -> e.getLong("pid") == worker && e.getInt("exitCode") == -9);

                long second = pool.workerPids().get(0);
                assertThat(second).isNotEqualTo(worker);
                assertThatThrownBy(() -> pool.apply(() -> {
                    Runtime.getRuntime().halt(5);
                    return 0;
                })).isInstanceOf(WorkerLostException.class);
                events.await("PoolTask", e -> e.getString("outcome").equals("worker lost") && e.getLong("workerPid") == second);
                events.await("WorkerReplaced", e -> e.getLong("endedPid") == second && e.getInt("exitCode") == 5);
            }
        }
    }

    @Test
    void aRecordingSeesConnectionsAndManagerCalls() throws Exception {
        try (Events events = Events.record("ConnectionOpen", "ConnectionClose", "ManagerCall")) {

            try (Listener listener = new Listener("127.0.0.1:0", "flight".getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
                String address = listener.address();
                Process child = new Process(() -> {
                    try (Connection c = Client.connect(address, "flight".getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
                        c.send("hello");
                    }
                });
                child.start();
                try (Connection c = listener.accept()) {
                    assertThat(c.recv()).isEqualTo("hello");
                }
                child.join();
                events.await("ConnectionOpen", e -> e.getString("local").equals(address));
                events.await("ConnectionClose", e -> e.getString("local").equals(address)
                        && e.getString("remote").startsWith("127.0.0.1:"));
            }

            try (Manager m = Manager.start()) {
                java.util.Map<String, Integer> d = m.dict();
                d.put("answer", 42);
                List<String> l = m.list();
                assertThatThrownBy(() -> l.get(5)).isInstanceOf(IndexOutOfBoundsException.class);
                RecordedEvent put = events.await("ManagerCall", e -> e.getString("method").equals("Map.put"));
                assertThat(put.getString("thrown")).isEmpty();
                assertThat(put.getString("manager")).isNotEmpty();
                assertThat(put.getDuration()).isPositive();
                events.await("ManagerCall", e -> e.getString("method").equals("List.get")
                        && e.getString("thrown").equals(IndexOutOfBoundsException.class.getName()));
            }
        }
    }
}
