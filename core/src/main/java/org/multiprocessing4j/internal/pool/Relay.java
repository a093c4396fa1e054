package org.multiprocessing4j.internal.pool;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.multiprocessing4j.SerializableRunnable;
import org.multiprocessing4j.internal.codec.Serialization;

/**
 * What a JVM that runs other JVMs' tasks without reading them needs (a cluster member relays a driver's
 * tasks to its workers, see {@link PoolEngine#relayTask}): the answer for a task that failed here, in the
 * worker's own layout, and an initializer that is deserialized only in the worker.
 */
public final class Relay {
    private Relay() {
    }

    /**
     * The answer of a task that failed in this JVM (its worker died or overran its deadline, its pool
     * was terminated), laid out as a worker's exception message: {@link Engine.Job#received} of the JVM
     * that built the task reads it. Its task id is 0.
     */
    public static byte[] errorMessage(Throwable error) {
        return PoolWire.errorMessage(0, error);
    }

    /** The initializer {@code bytes} (a serialized {@code SerializableRunnable}), read and run in the worker alone. */
    public static SerializableRunnable initializer(byte[] bytes) {
        return new SerializedInitializer(bytes.clone());
    }

    /** An initializer that travels as the bytes it came as; the worker deserializes it before it runs it. */
    private record SerializedInitializer(byte[] bytes) implements SerializableRunnable {
        @Override
        public void run() {
            try {
                ((Runnable) Serialization.fromBytes(bytes)).run();
            } catch (IOException e) {
                throw new UncheckedIOException("the pool's initializer cannot be read", e);
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("the pool's initializer names a class this worker does not have", e);
            }
        }
    }
}
