package org.multiprocessing4j.internal.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.multiprocessing4j.ProcessError;
import org.multiprocessing4j.internal.codec.Codec;
import org.multiprocessing4j.testing.Await;

/** The queue client over a real socket to this JVM's queue server: what each refusal means. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class QueueClientTest {

    /** A queue its server no longer serves is a server-side failure, a ProcessError, as Queue promises. */
    @Test
    void aQueueTheServerNoLongerServesIsAProcessError() {
        QueueClient client = QueueClient.of(QueueServer.get().address());
        assertThatThrownBy(() -> client.size(Long.MAX_VALUE)).isInstanceOf(ProcessError.class)
                .hasMessageContaining("no such queue");
        assertThatThrownBy(() -> client.openStream(Long.MAX_VALUE)).isInstanceOf(ProcessError.class)
                .hasMessageContaining("no such queue");
    }

    /** taskDone() once too often is the caller's misuse: IllegalStateException, over the socket too. */
    @Test
    void taskDoneTooOftenIsMisuse() {
        QueueServer server = QueueServer.get();
        long id = server.create(0, true);
        QueueClient client = QueueClient.of(server.address());
        assertThatThrownBy(() -> client.taskDone(id)).isInstanceOf(IllegalStateException.class)
                .isNotInstanceOf(ProcessError.class).hasMessageContaining("too many");
        assertThat(client.size(id).asLong()).isZero();
    }

    /**
     * A consumer's gets through its taker: items lent to it are not in the queue meanwhile, and once
     * its connection ends (as when its process dies), those it did not hand out are back at the head of
     * the queue, in order, and every item is had exactly once.
     */
    @Test
    void lentItemsGoBackToTheHeadWhenTheConsumerGoes() throws Exception {
        QueueServer server = QueueServer.get();
        long id = server.create(0, false);
        ServedQueue q = holding(id, 100);
        asAFastConsumer(() -> {
            Taker t = Taker.of(server.address(), id);
            List<Integer> got = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                got.add((Integer) Items.toValue(t.take(-1)));
            }
            assertThat(got).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
            int lent = Taker.lentHere(server.address(), id);
            assertThat(lent).as("replies of 1, 2, 4 and 8 items").isEqualTo(5);
            assertThat(q.size()).isEqualTo(100 - 10 - lent);
            t.close();
            Await.until(Duration.ofSeconds(10), () -> q.size() == 90, "the lent items to come back");
            for (int i = 10; i < 100; i++) {
                assertThat(q.get(0)).isEqualTo(i);
            }
        });
    }

    /** Queue {@code id} of this JVM's server, once it holds 0 to {@code n - 1}. */
    private static ServedQueue holding(long id, int n) throws InterruptedException {
        ServedQueue q = QueueServer.local(QueueServer.get().address(), id);
        for (int i = 0; i < n; i++) {
            q.put(i, -1);
        }
        return q;
    }

    private interface Steps {
        void run() throws Exception;
    }

    /** Runs {@code steps} with every consumer counted as fast, so that what it is lent grows each time. */
    private static void asAFastConsumer(Steps steps) throws Exception {
        long before = QueueServer.fastItemNanos;
        QueueServer.fastItemNanos = TimeUnit.SECONDS.toNanos(10);
        try {
            steps.run();
        } finally {
            QueueServer.fastItemNanos = before;
        }
    }

    /** A bounded queue counts the items it lent as its own: a put waits for room until they are handed out. */
    @Test
    void aBoundedQueueCountsItsLentItems() throws Exception {
        QueueServer server = QueueServer.get();
        long id = server.create(4, false);
        ServedQueue q = QueueServer.local(server.address(), id);
        asAFastConsumer(() -> {
            Taker t = Taker.of(server.address(), id);
            for (int i = 0; i < 4; i++) {
                assertThat(q.put(i, 0)).isTrue();
            }
            assertThat(Items.toValue(t.take(-1))).isEqualTo(0);  // one item
            assertThat(q.put(4, 0)).isTrue();
            assertThat(Items.toValue(t.take(-1))).isEqualTo(1);  // two: 1 handed out, 2 lent
            assertThat(q.size()).isEqualTo(2);                    // 3 and 4, and 2 is lent
            assertThat(q.put(5, 0)).isTrue();                     // 3, 4, 5 and the lent 2: full
            assertThat(q.put(6, TimeUnit.MILLISECONDS.toNanos(50))).as("no room while 2 is lent").isFalse();
            assertThat(Items.toValue(t.take(-1))).isEqualTo(2);  // handed out and acknowledged
            Await.until(Duration.ofSeconds(10), () -> {
                try {
                    return q.put(6, 0);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }, "room once the lent item is acknowledged");
            t.close();
        });
    }

    /**
     * A consumer's taskDone() goes without a round trip while its JVM has taken more items than it
     * marked done, and a join after a sync counts it; beyond that, it asks the server, which refuses
     * one too many.
     */
    @Test
    void taskDoneIsSentAheadOnlyForItemsThisJvmTook() throws Exception {
        QueueServer server = QueueServer.get();
        long id = server.create(0, true);
        ServedQueue q = holding(id, 3);
        Taker t = Taker.of(server.address(), id);
        try {
            assertThat(Items.toValue(t.take(-1))).isEqualTo(0);
            assertThat(Items.toValue(t.take(-1))).isEqualTo(1);
            assertThat(Taker.taskDoneAhead(server.address(), id)).isTrue();
            assertThat(Taker.taskDoneAhead(server.address(), id)).isTrue();
            assertThat(Taker.taskDoneAhead(server.address(), id)).as("only two were taken here").isFalse();
            Taker.syncDone(server.address(), id);
            assertThat(q.join(0)).as("item 2 is not done").isFalse();
            assertThat(q.get(0)).isEqualTo(2);
            q.taskDone();
            assertThat(q.join(0)).as("the two done marks sent ahead were counted").isTrue();
        } finally {
            t.close();
        }
    }

    /**
     * A stream to a bounded queue puts only into room the server reserved for it, several items a
     * round trip: the queue never holds more than its bound, room reserved and not yet used is the
     * queue's own (a put in the serving JVM finds none), and it is freed when the stream ends.
     */
    @Test
    void aStreamToABoundedQueuePutsOnlyIntoRoomReservedForIt() throws Exception {
        Streamed s = streamed(4);
        ServedQueue q = s.q();
        Feeder f = s.f();
        try {
            for (int i = 0; i < 4; i++) {
                assertThat(put(f, i, 0)).as("put %d", i).isTrue();
            }
            assertThat(put(f, 99, TimeUnit.MILLISECONDS.toNanos(50))).as("the queue is full").isFalse();
            f.sync();
            assertThat(q.size()).isEqualTo(4);
            for (int i = 0; i < 4; i++) {
                assertThat(q.get(0)).isEqualTo(i);
            }

            assertThat(put(f, 4, 0)).isTrue(); // reserves half of the free room, two, and uses one
            f.sync();
            assertThat(q.put(100, 0)).isTrue();
            assertThat(q.put(101, 0)).isTrue();
            assertThat(q.put(102, 0)).as("the room reserved for the stream is the queue's own").isFalse();
            assertThat(put(f, 5, 0)).as("into the room reserved").isTrue();
            f.sync();
            assertThat(List.of(q.get(0), q.get(0), q.get(0), q.get(0))).containsExactly(4, 100, 101, 5);

            assertThat(put(f, 6, 0)).isTrue(); // two reserved again, one used
            f.sync();
            assertThat(q.put(200, 0)).isTrue();
            assertThat(q.put(201, 0)).isTrue();
            f.close();
            Await.until(Duration.ofSeconds(10), () -> putNow(q, 202), "the room of the ended stream to be freed");
            assertThat(q.size()).isEqualTo(4);
        } finally {
            f.close();
        }
    }

    /**
     * A put interrupted while it waits for room throws, puts nothing, and leaves the stream usable: the
     * next put reads the reply its request was still owed.
     */
    @Test
    void aPutInterruptedWhileItWaitsForRoomLeavesTheStreamUsable() throws Exception {
        Streamed full = oneFull();
        ServedQueue q = full.q();
        Feeder f = full.f();
        try {
            f.sync(); // the 0 is in the queue before the put waits: a put returns once it has room, not once it arrived
            List<Object> outcome = new java.util.concurrent.CopyOnWriteArrayList<>();
            Thread waiter = putting(f, 1, outcome);
            waiter.interrupt();
            waiter.join();
            assertThat(outcome).singleElement().isInstanceOf(InterruptedException.class);

            assertThat(q.get(0)).isEqualTo(0);
            assertThat(put(f, 2, TimeUnit.SECONDS.toNanos(10))).isTrue();
            f.sync();
            assertThat(q.get(0)).as("the interrupted put put nothing").isEqualTo(2);
            assertThat(q.size()).isZero();
        } finally {
            f.close();
        }
    }

    /**
     * A sync (a size, a join, the flush at exit) is not held up by another thread's put that waits for
     * room in a full queue: it takes its turn between that put's requests, and the put goes on.
     */
    @Test
    void aSyncIsNotHeldUpByAPutThatWaitsForRoom() throws Exception {
        Streamed full = oneFull();
        ServedQueue q = full.q();
        Feeder f = full.f();
        try {
            List<Object> outcome = new java.util.concurrent.CopyOnWriteArrayList<>();
            Thread waiter = putting(f, 1, outcome);
            Await.until(Duration.ofSeconds(10), () -> Await.threadsParkedIn(
                    "org.multiprocessing4j.internal.queue.", "reserve") == 1, "the server to wait for room");
            long t0 = System.nanoTime();
            f.sync();
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
            assertThat(outcome).as("the put still waits").isEmpty();
            assertThat(q.get(0)).isEqualTo(0);
            waiter.join();
            assertThat(outcome).containsExactly(true);
            f.sync();
            assertThat(q.get(0)).isEqualTo(1);
        } finally {
            f.close();
        }
    }

    /**
     * A string streamed by another process is held as it came and sent on so to a consumer in another
     * process, never decoded and encoded again; a get in the serving JVM decodes it. A number is held
     * decoded.
     */
    @Test
    void aStringFromAnotherProcessIsHeldAsItCame() throws Exception {
        Streamed s = streamed(0);
        ServedQueue q = s.q();
        Feeder f = s.f();
        try {
            String text = "é".repeat(5_000);
            for (Object item : List.of(text, text, 7)) {
                put(f, item, -1);
            }
            f.sync();
            Object held = q.take(0);
            assertThat(held).isInstanceOf(Codec.Encoded.class);
            assertThat(((Codec.Encoded) held).body()).isEqualTo(Codec.encode(text).body());
            assertThat(Items.toWire(held)).isSameAs(held);
            assertThat(q.get(0)).isEqualTo(text);
            assertThat(q.take(0)).isEqualTo(7);
        } finally {
            f.close();
        }
    }

    /** A queue of this JVM's server, and this JVM's stream of puts to it over a socket. */
    private record Streamed(ServedQueue q, Feeder f) {
    }

    /** A new queue of at most {@code maxsize} items (0: unbounded) and its stream. */
    private static Streamed streamed(int maxsize) {
        QueueServer server = QueueServer.get();
        long id = server.create(maxsize, false);
        Feeder f = Feeder.of(server.address(), id, false, maxsize > 0);
        return new Streamed(QueueServer.local(server.address(), id), f);
    }

    /** A queue of one, full with the 0 put through its stream, and that stream. */
    private static Streamed oneFull() throws InterruptedException {
        Streamed s = streamed(1);
        assertThat(put(s.f(), 0, -1)).isTrue();
        return s;
    }

    /**
     * A thread, started, that puts {@code item} to {@code f}, waiting for room for ever, and adds what
     * came of it to {@code outcome}: true, or the InterruptedException.
     */
    private static Thread putting(Feeder f, int item, List<Object> outcome) {
        Thread t = new Thread(() -> {
            try {
                outcome.add(put(f, item, -1));
            } catch (InterruptedException e) {
                outcome.add(e);
            }
        });
        t.start();
        return t;
    }

    private static boolean put(Feeder f, Object item, long timeoutNanos) throws InterruptedException {
        Codec.Encoded e = Codec.encode(item);
        return f.put(e.tag(), e.body(), false, timeoutNanos);
    }

    private static boolean putNow(ServedQueue q, int item) {
        try {
            return q.put(item, 0);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
