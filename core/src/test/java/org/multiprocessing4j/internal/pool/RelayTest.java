package org.multiprocessing4j.internal.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.SerializableRunnable;
import org.multiprocessing4j.TaskFunction;
import org.multiprocessing4j.internal.codec.Serialization;
import org.multiprocessing4j.internal.runtime.StartMethod;

/**
 * Tasks built in one JVM and run by another's pool as they are (a cluster member's relay): the relaying
 * pool never decodes them, and its answers read in the building JVM as a worker's.
 */
class RelayTest {

    /** Takes an answer as it comes, as a member does. */
    private static class Relayed implements Engine.Job {
        final CompletableFuture<byte[]> answer = new CompletableFuture<>();

        @Override
        public void received(Task task, byte[] message) {
            answer.complete(message);
        }

        @Override
        public void done(Task task, List<Object> results) {
            answer.completeExceptionally(new AssertionError("decoded in the relay"));
        }

        @Override
        public void failed(Task task, Throwable error) {
            answer.complete(Relay.errorMessage(error));
        }
    }

    /** Reads an answer as the building JVM does. */
    private static final class Decoded implements Engine.Job {
        final List<Object> results = new ArrayList<>();
        Throwable error;

        @Override
        public void done(Task task, List<Object> r) {
            results.addAll(r);
        }

        @Override
        public void failed(Task task, Throwable e) {
            error = e;
        }
    }

    @Test
    void aChunkBuiltElsewhereRunsAsItIsAndItsAnswerReadsThere() throws Exception {
        TaskFunction<Integer, Integer> square = x -> x * x;
        Decoded decoded = new Decoded();
        Task built = Task.ofChunk(77, decoded, 3, 5, Serialization.toBytes(square, "fn"), List.of(1, 2, 3), 0);
        PoolEngine relay = new PoolEngine(1, null, 0, null, 0, StartMethod.SPAWN, "RelayWorker");
        try {
            Relayed job = new Relayed();
            Task local = relay.relayTask(job, ByteBuffer.wrap(built.message()), built.fnId(), built.fnBytes(), 0);
            assertThat(local.id()).isNotEqualTo(built.id());
            relay.submit(List.of(local));
            byte[] answer = job.answer.get(60, TimeUnit.SECONDS);
            built.job().received(built, answer);
            assertThat(decoded.results).containsExactly(1, 4, 9);
            assertThat(decoded.error).isNull();
        } finally {
            relay.terminate();
            relay.join(TimeUnit.SECONDS.toNanos(30));
        }
    }

    @Test
    void aDeadlineMissedInTheRelayReadsAsTheTimeoutItWas() throws Exception {
        TaskFunction<Integer, Integer> spin = x -> {
            while (true) {
                Thread.onSpinWait();
            }
        };
        Decoded decoded = new Decoded();
        Task built = Task.ofChunk(1, decoded, 0, 1, Serialization.toBytes(spin, "fn"), List.of(1), 0);
        PoolEngine relay = new PoolEngine(1, null, 0, null, 0, StartMethod.SPAWN, "RelayWorker");
        try {
            Relayed job = new Relayed();
            relay.submit(List.of(relay.relayTask(job, ByteBuffer.wrap(built.message()), 1, built.fnBytes(), TimeUnit.MILLISECONDS.toNanos(500))));
            built.job().received(built, job.answer.get(60, TimeUnit.SECONDS));
            assertThat(decoded.error).isInstanceOf(TimeoutException.class).hasMessageContaining("deadline");
        } finally {
            relay.terminate();
            relay.join(TimeUnit.SECONDS.toNanos(30));
        }
    }

    @Test
    void aMessageThatIsNoTaskOrOfAnotherFunctionIsRefused() throws InterruptedException {
        Task built = Task.ofChunk(1, new Decoded(), 0, 4, new byte[0], List.of(1), 0);
        PoolEngine relay = new PoolEngine(1, null, 0, null, 0, StartMethod.SPAWN, "RelayWorker");
        try {
            assertThatThrownBy(() -> relay.relayTask(new Relayed(), ByteBuffer.wrap(built.message()), 5, new byte[0], 0))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("function 4");
            assertThatThrownBy(() -> relay.relayTask(new Relayed(), ByteBuffer.wrap(new byte[] {'Q'}), 4, new byte[0], 0))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a task");
        } finally {
            relay.terminate();
            relay.join(TimeUnit.SECONDS.toNanos(30));
        }
    }

    @Test
    void anInitializerTravelsAsBytesAndRunsInTheWorker() throws Exception {
        SerializableRunnable init = () -> System.setProperty("relay.init", "ran");
        SerializableRunnable relayed = Relay.initializer(Serialization.toBytes(init, "init"));
        PoolEngine relay = new PoolEngine(1, relayed, 0, null, 0, StartMethod.SPAWN, "RelayWorker");
        try {
            TaskFunction<Integer, String> read = x -> System.getProperty("relay.init");
            Decoded decoded = new Decoded();
            Task built = Task.ofChunk(1, decoded, 0, 1, Serialization.toBytes(read, "fn"), List.of(0), 0);
            Relayed job = new Relayed();
            relay.submit(List.of(relay.relayTask(job, ByteBuffer.wrap(built.message()), 1, built.fnBytes(), 0)));
            built.job().received(built, job.answer.get(60, TimeUnit.SECONDS));
            assertThat(decoded.results).containsExactly("ran");
            assertThat(System.getProperty("relay.init")).isNull(); // not run here
        } finally {
            relay.terminate();
            relay.join(TimeUnit.SECONDS.toNanos(30));
        }
    }

    @Test
    void eachAnswerIsTakenInsideTheBracketOfTheReadItCameIn() throws Exception {
        TaskFunction<Integer, Integer> square = x -> x * x;
        ThreadLocal<Boolean> inside = ThreadLocal.withInitial(() -> false);
        java.util.concurrent.atomic.AtomicInteger begun = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger ended = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean nested = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.Map<Integer, Boolean> takenInside = new java.util.concurrent.ConcurrentHashMap<>();
        PoolEngine relay = new PoolEngine(1, null, 0, null, 0, StartMethod.SPAWN, "RelayWorker");
        relay.bracketReads(new PoolEngine.ReadBracket() {
            @Override
            public void begin() {
                if (inside.get()) {
                    nested.set(true);
                }
                inside.set(true);
                begun.incrementAndGet();
            }

            @Override
            public void end() {
                inside.set(false);
                ended.incrementAndGet();
            }
        });
        try {
            List<Task> tasks = new ArrayList<>();
            List<CompletableFuture<byte[]>> answers = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                int n = i;
                Task built = Task.ofChunk(i, new Decoded(), 0, 1, Serialization.toBytes(square, "fn"), List.of(i), 0);
                Relayed job = new Relayed() {
                    @Override
                    public void received(Task task, byte[] message) {
                        takenInside.put(n, inside.get());
                        super.received(task, message);
                    }
                };
                tasks.add(relay.relayTask(job, ByteBuffer.wrap(built.message()), 1, built.fnBytes(), 0));
                answers.add(job.answer);
            }
            relay.submit(tasks);
            for (CompletableFuture<byte[]> a : answers) {
                a.get(60, TimeUnit.SECONDS);
            }
            assertThat(takenInside).hasSize(5).allSatisfy((i, in) -> assertThat(in).as("answer %d in a bracket", i).isTrue());
            assertThat(begun.get()).isBetween(1, 5);
            assertThat(nested).as("brackets nested").isFalse();
            org.multiprocessing4j.testing.Await.until(java.time.Duration.ofSeconds(30), () -> ended.get() == begun.get(),
                    "each bracket ended");
        } finally {
            relay.terminate();
            relay.join(TimeUnit.SECONDS.toNanos(30));
        }
    }
}
