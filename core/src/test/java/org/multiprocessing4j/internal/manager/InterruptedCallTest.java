package org.multiprocessing4j.internal.manager;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.multiprocessing4j.internal.codec.Codec;

/**
 * A manager served in this JVM, called over its real socket by {@link ManagerClient}, while the test
 * reaches the served queue directly: so that the test acts within microseconds of the client, sooner
 * than a request on another connection could, and a race between the two cannot hide behind a round trip.
 * (Its socket is in a directory of the test's own: the server lives as long as the class.)
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class InterruptedCallTest {
    private static final Codec.Encoded[] NO_ARGUMENTS = new Codec.Encoded[0];

    @TempDir
    static Path dir;
    private static ManagerServer server;
    private static ManagerClient client;
    private static long token;

    @BeforeAll
    static void serve() {
        server = ManagerServer.start("unix:" + dir.resolve("manager.sock"), null, List.of(new TypeSpec("queue",
                args -> new LinkedBlockingQueue<>(), BlockingQueue.class, List.of(), TypeSpec.Kind.PROXY)));
        client = ManagerClient.of(server.address(), null);
        token = client.connect();
    }

    @AfterAll
    static void stop() {
        ManagerClient.forget(server.address(), token);
        server.stop();
    }

    /**
     * A caller interrupted in a take() gets InterruptedException only once the manager's take is over:
     * an item it puts straight into the queue the moment after is still there. (Were the caller to close
     * its connection and leave at once, the manager's take would still be waiting, or not even begun,
     * and would take the item.)
     */
    @Test
    void anItemPutRightAfterAnInterruptedTakeReturnedIsNotTakenByIt() throws Throwable {
        BlockingQueue<String> queue = queue();
        long id = ProxyHandler.of(queue).id;
        Method take = BlockingQueue.class.getMethod("take");
        Method size = BlockingQueue.class.getMethod("size");
        for (int round = 0; round < 20; round++) {
            String item = "kept " + round;
            client.call(token, id, size, NO_ARGUMENTS); // a connection waits in the pool for the take
            Object outcome = interruptedCall(() -> {
                try {
                    return "took " + client.call(token, id, take, NO_ARGUMENTS);
                } catch (InterruptedException e) {
                    Thread.interrupted(); // whatever the call left, so that the put is made
                    queue.put(item);
                    throw e;
                }
            }, false);
            assertThat(outcome).as("round " + round).isInstanceOf(InterruptedException.class);
            assertThat(queue.poll(5, TimeUnit.SECONDS)).as("round " + round).isEqualTo(item);
        }
    }

    /**
     * A thread interrupted before a call that must open a connection: the opening is not what the
     * interrupt ends. A take() gets InterruptedException (not "the manager is gone"), which clears the
     * interrupt as InterruptedException does; a size() is made, and the thread is still interrupted after it.
     */
    @Test
    void anInterruptedThreadThatMustConnectStillMakesItsCall() throws Exception {
        long id = ProxyHandler.of(queue()).id;
        Method take = BlockingQueue.class.getMethod("take");
        Method size = BlockingQueue.class.getMethod("size");
        client.closeIdle();
        assertThat(interruptedCall(() -> {
            try {
                return "took " + client.call(token, id, take, NO_ARGUMENTS);
            } catch (InterruptedException e) {
                return Thread.currentThread().isInterrupted() ? "still interrupted" : e;
            }
        }, true)).isInstanceOf(InterruptedException.class);
        client.closeIdle();
        assertThat(interruptedCall(() -> {
            Object n = client.call(token, id, size, NO_ARGUMENTS);
            return Thread.currentThread().isInterrupted() ? n : "the interrupt was lost";
        }, true)).isEqualTo(0);
    }

    /** A new queue in the manager, through a proxy whose calls run on the queue itself. */
    @SuppressWarnings("unchecked")
    private static BlockingQueue<String> queue() {
        return (BlockingQueue<String>) client.create(token, "queue", BlockingQueue.class);
    }

    interface Call {
        Object call() throws Throwable;
    }

    /**
     * Makes {@code call} in a new thread that is interrupted as it starts ({@code before}: before the
     * call, in the thread itself); returns what it threw, or what it returned.
     */
    private static Object interruptedCall(Call call, boolean before) throws InterruptedException {
        AtomicReference<Object> outcome = new AtomicReference<>();
        Thread t = new Thread(() -> {
            if (before) {
                Thread.currentThread().interrupt();
            }
            try {
                outcome.set(call.call());
            } catch (Throwable e) {
                outcome.set(e);
            }
        });
        t.start();
        if (!before) {
            t.interrupt(); // before or after the request is sent: either way the call must end
        }
        t.join();
        return outcome.get();
    }
}
