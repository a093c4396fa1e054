package org.multiprocessing4j.internal.pool;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.List;
import org.multiprocessing4j.SerializableRunnable;
import org.multiprocessing4j.internal.codec.Serialization;

/**
 * What a JVM needs to run its tasks on workers that are not its own pool's (a cluster's driver, whose
 * tasks go to the workers of its members, see {@code WorkerMain.serve}): the messages a worker reads
 * beside the tasks, a worker's answer read, and an initializer that is deserialized only in the worker.
 */
public final class RemoteWorkers {
    private RemoteWorkers() {
    }

    /**
     * The head of the message that gives a worker the function {@code fnId}; the function, serialized,
     * follows it in the same message.
     */
    public static ByteBuffer defineHead(int fnId) {
        return PoolWire.defineHead(fnId);
    }

    /** The message that tells a worker to end once it has answered what it was sent. */
    public static byte[] quitMessage() {
        return PoolWire.quitMessage();
    }

    /**
     * The task a worker's answer ({@code message}, from its position to its limit) is for.
     *
     * @throws IOException if it is too short to be an answer
     */
    public static long taskOf(ByteBuffer message) throws IOException {
        if (message.remaining() < 1 + Long.BYTES) {
            throw new IOException("a pool message of " + message.remaining() + " bytes");
        }
        return message.getLong(message.position() + 1);
    }

    /** A worker's answer, read: the results of a task, or its exception. */
    public sealed interface Answer {
        /** Hands the outcome to {@code job}: {@link Engine.Job#done} or {@link Engine.Job#failed}. */
        void deliverTo(Engine.Job job, Task task);

        /** Hands the outcome to {@code task}'s own job. */
        default void deliver(Task task) {
            deliverTo(task.job, task);
        }

        /** Whether it is the task's results, not its exception. */
        boolean isResults();
    }

    record Results(List<Object> results) implements Answer {
        @Override
        public void deliverTo(Engine.Job job, Task task) {
            job.done(task, results);
        }

        @Override
        public boolean isResults() {
            return true;
        }
    }

    record Failure(Throwable error) implements Answer {
        @Override
        public void deliverTo(Engine.Job job, Task task) {
            job.failed(task, error);
        }

        @Override
        public boolean isResults() {
            return false;
        }
    }

    /**
     * Reads a worker's answer (a result or an exception message, as the worker wrote it), where
     * it lies: from {@code message}'s position to its limit, in its array (a heap buffer). Before anything
     * is reported: a corrupt answer throws here, and its task can still be failed.
     *
     * @throws IOException if the message is corrupt or of another kind
     * @throws ClassNotFoundException if a result's class is not on this JVM's class path
     */
    public static Answer read(ByteBuffer message) throws IOException, ClassNotFoundException {
        if (!message.hasArray()) {
            throw new IllegalArgumentException("not a heap buffer");
        }
        return PoolWire.readAnswer(message.array(), message.arrayOffset() + message.position(), message.remaining());
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
