package org.multiprocessing4j.internal.launch;

import java.io.Serializable;
import org.multiprocessing4j.SerializableRunnable;
import org.multiprocessing4j.internal.codec.Serialization;

/**
 * What a spare JVM does while it waits for a task: one round trip through serialization of an object
 * that holds a serializable lambda, so that {@code ObjectOutputStream}, {@code ObjectInputStream},
 * the deserialization filter, lambda deserialization and the {@code Process} class are loaded and
 * initialized before the task arrives; then what {@code Process} names through
 * {@link ProcessBridge#warmUpSpare()} (the pool worker's code, in case the task is one). It touches no
 * state a task could see.
 */
final class WarmUp {
    private WarmUp() {
    }

    static void run() {
        Sample sample = new Sample();
        sample.name = "warm-up";
        sample.identity = new int[] {1};
        sample.target = () -> { };
        try {
            Sample back = (Sample) Serialization.fromBytes(Serialization.toBytes(sample, "warm-up"));
            back.target.run();
        } catch (Exception | LinkageError e) {
            // warming is an optimisation only
        }
        ProcessBridge.get().warmUpSpare(); // what a task may run first: a spare may become a pool worker
    }

    /** Shaped like a {@code Process}: a name, an identity and a lambda target. */
    private static final class Sample implements Serializable {
        private static final long serialVersionUID = 1L;
        String name;
        int[] identity;
        SerializableRunnable target;
    }
}
