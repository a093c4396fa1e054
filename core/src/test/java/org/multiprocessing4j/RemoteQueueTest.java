package org.multiprocessing4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.multiprocessing4j.testing.Await;

/**
 * Queue handles in a process other than the one that serves the queue: here the queues are created
 * and served by a child JVM, and this JVM uses them through sockets, as every child does with the
 * queues of its parent.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RemoteQueueTest {
    private Process server;
    private Connection control;
    private Queue<Integer> bounded;
    private Queue<Integer> unbounded;
    private JoinableQueue<String> joinable;
    private SimpleQueue<Integer> simple;

    /** The child: creates the queues, hands them over, and serves them until its pipe closes. */
    static void serveQueues(Connection c) {
        c.send(List.of(new Queue<Integer>(2), new Queue<Integer>(), new JoinableQueue<String>(),
                new SimpleQueue<Integer>()));
        try {
            c.recv();
        } catch (EOFError parentDone) {
            // the test is over
        }
    }

    @BeforeEach
    @SuppressWarnings("unchecked")
    void startServer() {
        Pipe pipe = Pipe.open();
        Connection childEnd = pipe.right();
        server = new Process(() -> serveQueues(childEnd));
        server.start();
        control = pipe.left();
        List<Queue<?>> queues = (List<Queue<?>>) control.recv();
        bounded = (Queue<Integer>) queues.get(0);
        unbounded = (Queue<Integer>) queues.get(1);
        joinable = (JoinableQueue<String>) queues.get(2);
        simple = (SimpleQueue<Integer>) queues.get(3);
    }

    @AfterEach
    void stopServer() throws Exception {
        control.close();
        server.join(Duration.ofSeconds(30));
        if (server.isAlive()) {
            server.kill();
            server.join();
        }
    }

    @Test
    void boundsTimeoutsAndPythonNames() throws Exception {
        QueueTest.checkBoundsAndTimeouts(bounded);
    }

    @Test
    void streamedPutsAreCountedAndTakenInOrderByThePutter() throws Exception {
        for (int i = 0; i < 10_000; i++) {
            unbounded.put(i);
        }
        assertThat(unbounded.qsize()).as("the size sees every item this process put").isEqualTo(10_000);
        List<Integer> got = new ArrayList<>();
        assertThat(unbounded.drainTo(got)).isEqualTo(10_000);
        for (int i = 0; i < got.size(); i++) {
            assertThat(got.get(i)).isEqualTo(i);
        }
        byte[] big = new byte[3 << 20];
        big[big.length - 1] = 42;
        Queue<Object> any = cast(unbounded);
        any.put(big);
        big[big.length - 1] = 0; // the put took a snapshot
        byte[] back = (byte[]) any.take();
        assertThat(back).hasSize(3 << 20);
        assertThat(back[back.length - 1]).isEqualTo((byte) 42);
        unbounded.joinThread();
        assertThat(unbounded.empty()).isTrue();
    }

    /** The size of this JVM's buffer of streamed puts to one queue (Feeder's ring), as of this writing. */
    private static final int FEEDER_RING = 8 << 20;

    private static byte[] item(int i, int length) {
        byte[] b = new byte[length];
        for (int j = 0; j < length; j++) {
            b[j] = (byte) (i * 31 + j * 7);
        }
        return b;
    }

    @Test
    void streamedPutsThatWrapAroundTheFeedersBufferArriveWholeAndInOrder() throws Exception {
        // frames of 1,000,000 bytes (a frame is a 5-byte header, the tag, the body); a filler lands the
        // next frame's header 3 bytes before the end of the buffer, and the body of a later frame
        // straddles the end on the next turn; an item bigger than half the buffer goes in between
        int frame = 1_000_000;
        int overhead = 6;
        List<Integer> lengths = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            lengths.add(frame - overhead);
        }
        lengths.add(FEEDER_RING - 3 - 8 * frame - overhead);
        for (int i = 0; i < 9; i++) {
            lengths.add(frame - overhead);
        }
        lengths.add((FEEDER_RING / 2) + 12_345);
        for (int i = 0; i < 10; i++) {
            lengths.add(frame - overhead + 17 * i);
        }
        Queue<Object> any = cast(unbounded);
        for (int i = 0; i < lengths.size(); i++) {
            any.put(item(i, lengths.get(i)));
        }
        for (int i = 0; i < lengths.size(); i++) {
            byte[] got = (byte[]) any.poll(60, TimeUnit.SECONDS);
            assertThat(got).as("item %d", i).isNotNull().hasSize(lengths.get(i));
            assertThat(java.util.Arrays.equals(got, item(i, lengths.get(i)))).as("item %d is whole", i).isTrue();
        }
        assertThat(any.empty()).isTrue();
    }

    @Test
    void joinableQueueCountsTasksPutFromHere() throws Exception {
        joinable.put("a");
        joinable.put("b");
        assertThat(joinable.join(Duration.ofMillis(100))).as("the join sees this process's puts").isFalse();
        assertThat(joinable.take()).isEqualTo("a");
        joinable.taskDone();
        assertThat(joinable.take()).isEqualTo("b");
        joinable.taskDone(); // sent ahead, without a round trip: this process took more than it marked done
        assertThat(joinable.join(Duration.ZERO)).as("a join that does not wait sees them all the same").isTrue();
        assertThatThrownBy(joinable::taskDone).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("too many");
    }

    @Test
    void anInterruptedTakeThrowsInterruptedException() throws Exception {
        // connected and authenticated first, so that the interrupt comes while the take waits for an item
        assertThat(unbounded.qsize()).isZero();
        Thread me = Thread.currentThread();
        Thread interrupter = new Thread(() -> {
            Await.until(Duration.ofSeconds(60), () -> Await.isBlockedIn(me, "take"), "the test thread to block in take()");
            me.interrupt();
        });
        interrupter.start();
        assertThatThrownBy(unbounded::take).isInstanceOf(InterruptedException.class);
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
        interrupter.join();
        unbounded.put(5);
        assertThat(unbounded.take()).isEqualTo(5);
    }

    /**
     * A consumer in another process gets several items a round trip once it takes them quickly; killed
     * while it holds some it has not handed out, it takes none of them with it: every item is had
     * exactly once, by it or by the next consumer.
     */
    @Test
    void aConsumerKilledWhileItHoldsLentItemsTakesNoneWithIt() throws Exception {
        int n = 2_000;
        Queue<Integer> q = unbounded;
        for (int i = 0; i < n; i++) {
            q.put(i);
        }
        assertThat(q.qsize()).isEqualTo(n); // the puts are in
        Queue<List<Integer>> taken = new Queue<>();
        Process consumer = new Process(() -> {
            List<Integer> mine = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                mine.add(q.get());
            }
            taken.put(mine);
            org.multiprocessing4j.testing.Targets.sleep(60_000);
        });
        consumer.start();
        List<Integer> got = new ArrayList<>(taken.take());
        consumer.kill();
        consumer.join();
        Await.until(Duration.ofSeconds(30), () -> q.qsize() == n - 300, "the items lent to the killed consumer to come back");
        for (int i = 300; i < n; i++) {
            got.add(q.poll(10, TimeUnit.SECONDS));
        }
        assertThat(q.poll()).isNull();
        assertThat(got).hasSize(n).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(
                java.util.stream.IntStream.range(0, n).boxed().toList());
    }

    @Test
    void aSimpleQueuePutSurvivesTheProducersSigkill() throws Exception {
        Queue<String> ready = new Queue<>();
        SimpleQueue<Integer> q = simple;
        Process producer = new Process(() -> {
            for (int i = 0; i < 1_000; i++) {
                q.put(i);
            }
            ready.put("all put");
            org.multiprocessing4j.testing.Targets.sleep(60_000);
        });
        producer.start();
        assertThat(ready.take()).isEqualTo("all put");
        producer.kill();
        producer.join();
        assertThat(producer.exitCode()).isEqualTo(-9);
        for (int i = 0; i < 1_000; i++) {
            assertThat(q.poll(10, TimeUnit.SECONDS)).isEqualTo(i);
        }
    }

    @Test
    void whenTheServingProcessDiesEveryOperationFailsClearly() throws Exception {
        unbounded.put(1);
        assertThat(unbounded.take()).isEqualTo(1);
        server.kill();
        server.join();
        assertThatThrownBy(() -> unbounded.get(Duration.ofSeconds(5))).isInstanceOf(ProcessError.class)
                .hasMessageContaining("gone");
        assertThatThrownBy(() -> {
            for (int i = 0; i < 1_000_000; i++) {
                unbounded.put(i); // the feeder finds out at its next write
            }
        }).isInstanceOf(ProcessError.class).hasMessageContaining("gone");
        assertThatThrownBy(bounded::qsize).isInstanceOf(ProcessError.class);
        assertThatThrownBy(() -> simple.put(1)).isInstanceOf(ProcessError.class);
    }

    @Test
    void joinThreadSaysSoWhenTheServingProcessWentBeforeThePutsWereWritten() throws Exception {
        unbounded.put(1);
        unbounded.joinThread(); // the feeder's connection is open, and the item written
        server.kill();
        server.join();
        assertThatThrownBy(() -> {
            unbounded.put(2); // buffered: it returns before the feeder writes, unless the feeder already knows
            unbounded.joinThread();
        }).as("the item is lost: joinThread must not return as if it was written")
                .isInstanceOf(ProcessError.class).hasMessageContaining("gone");
    }

    @SuppressWarnings("unchecked")
    private static <T> Queue<T> cast(Queue<?> q) {
        return (Queue<T>) q;
    }
}
