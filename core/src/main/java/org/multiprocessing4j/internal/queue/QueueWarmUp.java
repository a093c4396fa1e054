package org.multiprocessing4j.internal.queue;

import java.io.Serializable;

/**
 * What the training run of the children's AOT cache does with queues (see the launch package's
 * {@code AotTraining}): a bounded joinable queue and an unbounded one of its own, put to and taken
 * from over a socket as a child does with its parent's queues, with records of strings and numbers for
 * items. So the classes a child's first put and get load and link (the feeder, the taker, the
 * handshake, the deserialization of records and their {@code equals}) are in the cache, with the
 * profiles of their methods, instead of being loaded and interpreted from scratch in every child. Never
 * throws; the queues live until the training JVM exits.
 */
public final class QueueWarmUp {
    /** Rounds of a full bounded queue's puts and gets: past the JIT's thresholds for the put and get paths. */
    private static final int ROUNDS = 250;
    private static final int BOUND = 8;
    /** The longest a get or the join waits: each should return at once; bounded, so that a training never hangs. */
    private static final long WAIT_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(5);

    private QueueWarmUp() {
    }

    /** Runs the queues' warm-up in this JVM, which serves them to itself through their sockets. */
    public static void run() {
        try {
            QueueServer server = QueueServer.get();
            RemoteQueue bounded = new RemoteQueue(server.address(), server.create(BOUND, true), BOUND, false);
            RemoteQueue unbounded = new RemoteQueue(server.address(), server.create(0, false), 0, false);
            Sample stop = new Sample("", "", 0);
            for (int round = 0; round < ROUNDS; round++) {
                for (int i = 0; i < BOUND; i++) {
                    if (!bounded.put(new Sample(String.valueOf(i), "text\n", round), WAIT_NANOS)) {
                        return;
                    }
                }
                for (int i = 0; i < BOUND; i++) {
                    Sample got = (Sample) bounded.get(WAIT_NANOS);
                    if (got == null) {
                        return; // never, unless something is wrong: a training does not wait for it
                    }
                    boolean pill = got.equals(stop) || got.hashCode() == stop.hashCode(); // as a worker checks
                    unbounded.put(pill ? "" : got.path(), -1);
                    unbounded.put(got.lines(), -1);
                    bounded.taskDone();
                }
                for (int i = 0; i < 2 * BOUND; i++) {
                    if (unbounded.get(WAIT_NANOS) == null) {
                        return;
                    }
                }
            }
            bounded.join(WAIT_NANOS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception | LinkageError e) {
            // warming is an optimisation only
        }
    }

    /** An item shaped like a user's: a record of strings and a number. */
    private record Sample(String path, String text, int lines) implements Serializable {
    }
}
