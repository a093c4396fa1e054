package org.multiprocessing4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.multiprocessing4j.testing.Await;
import org.multiprocessing4j.testing.Targets;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class QueueTest {
    /** Threads of this JVM that serve a queue's clients and wait for an item on a client's behalf. */
    private static long serverThreadsWaitingForItems() {
        return Await.threadsParkedIn("org.multiprocessing4j.internal.queue.", "lend"); // ServedQueue.lend
    }

    @Test
    void theSeedsQueuePrograms() throws Exception {
        Queue<Object> q = new Queue<>();
        Process p = new Process(() -> q.put(Arrays.asList(55, null, "hello", "world")));
        p.start();
        assertThat(q.get()).isEqualTo(Arrays.asList(55, null, "hello", "world"));
        p.join();

        List<Integer> data = List.of(1, 2, 3, 4, 5);
        Queue<List<Integer>> results = new Queue<>();
        List<Process> squarers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Process s = new Process(() -> results.put(data.stream().map(x -> x * x).collect(Collectors.toList())));
            squarers.add(s);
            s.start();
        }
        for (Process s : squarers) {
            s.join(); // before draining: never a deadlock here
        }
        assertThat(List.of(results.get(), results.get(), results.get()))
                .containsOnly(List.of(1, 4, 9, 16, 25));
        assertThat(results.empty()).isTrue();
    }

    @Test
    void manyProducersAndConsumersDeliverEveryItemOnceInProducerOrder() throws Exception {
        deliverEveryItemOnce(new Queue<>(), 25_000); // 100,000 items: streamed puts, round-trip gets
    }

    @Test
    void aBoundedQueueDeliversEveryItemOnceInProducerOrder() throws Exception {
        deliverEveryItemOnce(new Queue<>(1_000), 5_000); // puts that wait for room reserved for them
    }

    /**
     * A producer in another process puts into room the queue reserved for it, which counts as the
     * queue's own (no one else may fill it), and which is freed when that producer is killed.
     */
    @Test
    void roomReservedForAKilledProducerIsFreed() throws Exception {
        Queue<Integer> q = new Queue<>(4);
        Event hold = new Event();
        Process producer = new Process(() -> {
            q.put(0); // reserves half of the free room, two, and uses one
            hold.await();
        });
        producer.start();
        try {
            Await.until(Duration.ofSeconds(30), () -> q.qsize() == 1, "the producer's item");
            assertThat(q.offer(1)).isTrue();
            assertThat(q.offer(2)).isTrue();
            assertThat(q.offer(3)).as("the producer's room is taken").isFalse();
            producer.kill();
            producer.join();
            Await.until(Duration.ofSeconds(10), () -> q.offer(3), "the killed producer's room to be freed");
            assertThat(List.of(q.get(), q.get(), q.get(), q.get())).containsExactly(0, 1, 2, 3);
        } finally {
            producer.kill();
            producer.join();
            hold.close();
        }
    }

    /** 4 producer processes put perProducer items each, 2 consumer processes take them all. */
    private static void deliverEveryItemOnce(Queue<int[]> q, int perProducer) throws Exception {
        int producers = 4;
        int consumers = 2;
        Queue<List<int[]>> out = new Queue<>();
        List<Process> all = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int who = p;
            all.add(new Process(() -> {
                for (int i = 0; i < perProducer; i++) {
                    q.put(new int[] {who, i});
                }
            }));
        }
        for (int c = 0; c < consumers; c++) {
            all.add(new Process(() -> {
                List<int[]> got = new ArrayList<>();
                while (true) {
                    int[] item = q.get();
                    if (item[0] < 0) {
                        break;
                    }
                    got.add(item);
                }
                out.put(got);
            }));
        }
        all.forEach(Process::start);
        for (int p = 0; p < producers; p++) {
            all.get(p).join();
        }
        for (int c = 0; c < consumers; c++) {
            q.put(new int[] {-1, -1});
        }
        Map<Integer, List<Integer>> seen = new HashMap<>();
        for (int c = 0; c < consumers; c++) {
            List<int[]> got = out.get();
            Map<Integer, Integer> last = new HashMap<>();
            for (int[] item : got) {
                assertThat(item[1]).as("FIFO per producer, per consumer").isGreaterThan(last.getOrDefault(item[0], -1));
                last.put(item[0], item[1]);
                seen.computeIfAbsent(item[0], k -> new ArrayList<>()).add(item[1]);
            }
        }
        for (Process p : all) {
            p.join();
            assertThat(p.exitCode()).isZero();
        }
        for (int p = 0; p < producers; p++) {
            assertThat(seen.get(p)).as("producer %d", p).hasSize(perProducer)
                    .containsExactlyInAnyOrderElementsOf(IntStream.range(0, perProducer).boxed().toList());
        }
    }

    @Test
    void aProducerKilledInTheMiddleOfABurstLeavesTheQueueUsable() throws Exception {
        Queue<Integer> q = new Queue<>();
        Process burst = new Process(() -> {
            for (int i = 0; ; i++) {
                q.put(i);
            }
        });
        burst.start();
        assertThat(q.take()).isZero();
        burst.kill();
        burst.join();
        List<Integer> rest = new ArrayList<>();
        Integer next;
        while ((next = q.poll(500, TimeUnit.MILLISECONDS)) != null) { // what it had written still comes in
            rest.add(next);
        }
        for (int i = 0; i < rest.size(); i++) {
            assertThat(rest.get(i)).as("every item whole and in order").isEqualTo(i + 1);
        }
        q.put(-7);
        assertThat(q.take()).isEqualTo(-7);
    }

    @Test
    void aConsumerInAnotherJvmIsWokenByAPutAndOneKilledWhileWaitingTakesNothing() throws Exception {
        Queue<String> q = new Queue<>();
        Queue<String> replies = new Queue<>();
        long parkedBefore = serverThreadsWaitingForItems();
        Process waiter = new Process(() -> replies.put("got " + q.get()));
        waiter.start();
        Await.until(Duration.ofSeconds(60), () -> serverThreadsWaitingForItems() > parkedBefore,
                "the queue's server in this JVM to wait for an item on behalf of the child's get");
        assertThat(replies.poll(100, TimeUnit.MILLISECONDS)).as("the get waits while the queue is empty").isNull();
        assertThat(waiter.isAlive()).isTrue();
        q.put("wake up");
        assertThat(replies.poll(30, TimeUnit.SECONDS)).isEqualTo("got wake up");
        waiter.join();
        Await.until(Duration.ofSeconds(30), () -> serverThreadsWaitingForItems() <= parkedBefore,
                "the server to stop waiting for the woken child");

        Process doomed = new Process(() -> {
            replies.put("waiting");
            q.get();
            System.exit(3);
        });
        doomed.start();
        assertThat(replies.take()).isEqualTo("waiting");
        Await.until(Duration.ofSeconds(60), () -> serverThreadsWaitingForItems() > parkedBefore,
                "the queue's server in this JVM to wait for an item on behalf of the doomed child's get");
        doomed.kill();
        doomed.join();
        Await.until(Duration.ofSeconds(30), () -> serverThreadsWaitingForItems() <= parkedBefore,
                "the server to notice that the killed child has gone and stop waiting for it");
        q.put("not lost");
        assertThat(q.poll(10, TimeUnit.SECONDS)).isEqualTo("not lost");
    }

    @Test
    void aBadItemFailsThePutAndTheQueueIsIntact() throws Exception {
        Queue<Object> q = new Queue<>();
        q.put("first");
        class NotSerializable {
        }
        assertThatThrownBy(() -> q.put(new NotSerializable())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("NotSerializable");
        assertThatThrownBy(() -> q.put(null)).isInstanceOf(NullPointerException.class);
        assertThat(q.qsize()).isEqualTo(1);
        assertThat(q.take()).isEqualTo("first");
    }

    /** The bounded-queue contract on an empty queue of maxsize 2, wherever it is served. */
    static void checkBoundsAndTimeouts(Queue<Integer> q) throws Exception {
        assertThat(q.empty()).isTrue();
        assertThat(q.offer(1)).isTrue();
        assertThat(q.offer(2, 1, TimeUnit.SECONDS)).isTrue();
        assertThat(q.full()).isTrue();
        assertThat(q.remainingCapacity()).isZero();
        assertThat(q.offer(3)).isFalse();
        long t0 = System.nanoTime();
        assertThat(q.offer(3, 200, TimeUnit.MILLISECONDS)).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(150));
        assertThat(q.size()).isEqualTo(2);
        assertThat(q.get()).isEqualTo(1);
        assertThat(q.poll()).isEqualTo(2);
        assertThat(q.poll()).isNull();
        assertThat(q.poll(100, TimeUnit.MILLISECONDS)).isNull();
        assertThatThrownBy(() -> q.get(Duration.ofMillis(50))).isInstanceOf(NoSuchElementException.class);
    }

    @Test
    void boundsTimeoutsAndPythonNames() throws Exception {
        Queue<Integer> q = new Queue<>(2);
        checkBoundsAndTimeouts(q);
        assertThatThrownBy(q::peek).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(q::iterator).isInstanceOf(UnsupportedOperationException.class);
        BlockingQueue<Integer> asJdk = new Queue<>();
        asJdk.addAll(List.of(4, 5, 6));
        List<Integer> drained = new ArrayList<>();
        assertThat(asJdk.drainTo(drained, 2)).isEqualTo(2);
        assertThat(drained).containsExactly(4, 5);
        assertThat(asJdk.remove()).isEqualTo(6);
    }

    @Test
    void closeEndsThisHandleOnly() throws Exception {
        Queue<String> q = new Queue<>();
        Process reader = new Process(() -> System.exit(q.get().length()));
        reader.start();
        Queue<String> mine = q;
        mine.put("four");
        reader.join();
        assertThat(reader.exitCode()).isEqualTo(4);
        mine.close();
        mine.close();
        assertThatThrownBy(() -> mine.put("x")).isInstanceOf(IllegalStateException.class);
        mine.joinThread();
        mine.cancelJoinThread();
    }

    @Test
    void joinableQueueCountsTasks() throws Exception {
        JoinableQueue<Integer> q = new JoinableQueue<>();
        Process worker = new Process(() -> {
            for (int i = 0; i < 3; i++) {
                q.get();
                q.taskDone();
            }
        });
        q.put(1);
        q.put(2);
        q.put(3);
        assertThat(q.join(Duration.ofMillis(100))).as("no task done yet").isFalse();
        worker.start();
        q.join();
        worker.join();
        assertThat(worker.exitCode()).isZero();
        assertThatThrownBy(q::taskDone).isInstanceOf(IllegalStateException.class).hasMessageContaining("too many");
        SimpleQueue<String> simple = new SimpleQueue<>();
        simple.put("s");
        assertThat(simple.get()).isEqualTo("s");
    }

    @Test
    void whatAChildPutBeforeItExitedIsInTheQueueWhenItIsJoined() throws Exception {
        Queue<Integer> q = new Queue<>();
        Process returns = new Process(() -> {
            for (int i = 0; i < 20_000; i++) {
                q.put(i);
            }
        });
        Process exits = new Process(() -> {
            q.put(-1);
            System.exit(7);
        });
        Process throwsUp = new Process(() -> {
            q.put(-2);
            throw new IllegalStateException("expected by the test");
        });
        List<Process> all = List.of(returns, exits, throwsUp);
        all.forEach(Process::start);
        for (Process p : all) {
            p.join();
        }
        assertThat(List.of(returns.exitCode(), exits.exitCode(), throwsUp.exitCode())).containsExactly(0, 7, 1);
        assertThat(q.qsize()).as("nothing still on its way").isEqualTo(20_002);
        List<Integer> got = new ArrayList<>();
        q.drainTo(got);
        assertThat(got).contains(-1, -2);
        assertThat(got.stream().filter(i -> i >= 0).toList()).isEqualTo(IntStream.range(0, 20_000).boxed().toList());
    }

    @Test
    void anInterruptedTakeThrowsInterruptedException() throws Exception {
        Queue<Integer> q = new Queue<>();
        Thread.currentThread().interrupt();
        assertThatThrownBy(q::take).isInstanceOf(InterruptedException.class);
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
        Thread.currentThread().interrupt();
        assertThatThrownBy(q::get).isInstanceOf(ProcessError.class).hasCauseInstanceOf(InterruptedException.class);
        assertThat(Thread.interrupted()).isTrue();
        q.put(1);
        assertThat(q.take()).isEqualTo(1);
        Targets.sleep(0);
    }

    @Test
    void aHandleWhoseServerHasEndedIsRefusedAtTheSendAndAtTheFirstUseNamingItsPid() {
        Pipe pipe = Pipe.open();
        Connection there = pipe.right();
        Process server = new Process(() -> there.send(new Queue<String>())); // served by that child
        server.start();
        @SuppressWarnings("unchecked")
        Queue<String> orphan = (Queue<String>) pipe.left().recv();
        server.join();
        try {
            String pid = "pid " + server.pid();
            Process user = new Process(() -> orphan.put("lost"));
            assertThatThrownBy(user::start).as("sending it on").isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(pid).hasMessageContaining("has ended");
            assertThatThrownBy(() -> orphan.put("lost")).as("using it").isInstanceOf(ProcessError.class)
                    .hasMessageContaining(pid).hasMessageContaining("is gone");
        } finally {
            pipe.left().close();
            there.close();
            server.close();
        }
    }
}
