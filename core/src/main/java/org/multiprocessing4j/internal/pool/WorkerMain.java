package org.multiprocessing4j.internal.pool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.multiprocessing4j.EOFError;
import org.multiprocessing4j.ProcessError;
import org.multiprocessing4j.SerializableRunnable;
import org.multiprocessing4j.TaskFunction;
import org.multiprocessing4j.internal.codec.MessageReader;
import org.multiprocessing4j.internal.codec.MessageWriter;
import org.multiprocessing4j.internal.codec.Serialization;
import org.multiprocessing4j.internal.launch.ProcessBridge;
import org.multiprocessing4j.internal.wire.Dial;
import org.multiprocessing4j.internal.wire.RawFrames;
import org.multiprocessing4j.internal.wire.SocketTransport;

/**
 * The loop of a pool worker, in its own JVM: Python's {@code multiprocessing.pool.worker}. Warms the
 * pool's code ({@link PoolWarmUp}), runs the initializer, then connects to its pool (an authenticated
 * connection to the pool's listener) and says hello: it is ready. It then runs the tasks its pool sends
 * (see {@link PoolWire}) one at a time, until the pool says quit, its pipe closes, or it has run
 * {@code maxTasks} tasks. A task's exception, or a result that cannot be serialized, fails that task
 * only; the worker goes on.
 */
public final class WorkerMain {
    private WorkerMain() {
    }

    /**
     * A worker process's target: {@link #run(String, int, SerializableRunnable, int)} with these
     * arguments. A class, not a lambda: a child deserializes a lambda by spinning its class, some 15 ms of a
     * cold JVM on the way to the pool; and not a record, whose deserialization builds method handles.
     */
    static final class Target implements SerializableRunnable {
        private static final long serialVersionUID = 1L;

        private final String address;
        private final int number;
        private final SerializableRunnable initializer; // the user's, or null
        private final int maxTasks;

        Target(String address, int number, SerializableRunnable initializer, int maxTasks) {
            this.address = address;
            this.number = number;
            this.initializer = initializer;
            this.maxTasks = maxTasks;
        }

        @Override
        public void run() {
            WorkerMain.run(address, number, initializer, maxTasks);
        }
    }

    /**
     * Gets ready, connects to the pool listening at {@code address}, says which worker it is, then runs.
     * A worker that dies before its hello (its initializer threw) counts as one that could not start.
     *
     * @param maxTasks tasks to run before exiting so that a fresh worker replaces this one; 0 for no limit
     */
    public static void run(String address, int number, SerializableRunnable initializer, int maxTasks) {
        PoolWarmUp.run();
        if (initializer != null) {
            initializer.run(); // if it throws, this worker dies before it is ready: a start failure
        }
        // connected and greeted, the worker is ready: the pool sends it tasks from then on, and their
        // deadlines count from then (the acceptor reads the hello at once: it must not wait on an initializer)
        SocketTransport pipe = Dial.connect(address, ProcessBridge.authkey());
        pipe.parkWithoutSpinning(); // tasks come many per write while there is work; waiting, a spinning worker takes the pool's CPU
        RawFrames.send(pipe, PoolWire.helloMessage(number));
        serve(new Channel() {
            @Override
            public ByteBuffer recv() {
                return ByteBuffer.wrap(RawFrames.recv(pipe));
            }

            @Override
            public void send(byte[] message) {
                RawFrames.send(pipe, message);
            }
        }, maxTasks);
    }

    /**
     * Where a worker's tasks come from and its answers go, one message at a time: its pool's pipe, or
     * another JVM's connection that carries the same messages ({@link PoolWire}) in frames of its own.
     */
    public interface Channel {
        /**
         * The next message, from its buffer's position to its limit (a heap buffer); blocks until it comes.
         *
         * @throws EOFError if the pool is gone: the worker's work is over
         * @throws IllegalStateException if the channel was closed
         */
        ByteBuffer recv();

        /** Sends one message; blocks while the channel cannot take it. */
        void send(byte[] message);
    }

    /**
     * Runs the tasks that come on {@code channel} one at a time, until the pool says quit, the channel
     * ends, or {@code maxTasks} tasks have run (0: no limit).
     *
     * @throws ProcessError if a message cannot be read: the worker is of no more use
     */
    public static void serve(Channel channel, int maxTasks) {
        TaskFunction<Object, Object> fn = null;
        int fnId = -1;
        int done = 0;
        while (maxTasks <= 0 || done < maxTasks) {
            ByteBuffer message;
            try {
                message = channel.recv();
            } catch (EOFError | IllegalStateException poolGone) {
                return;
            }
            try {
                if (!message.hasRemaining()) {
                    throw new IOException("an empty message");
                }
                byte kind = message.get(message.position());
                MessageReader in = new MessageReader("pool message", message.array(),
                        message.arrayOffset() + message.position() + 1, message.remaining() - 1);
                switch (kind) {
                    case PoolWire.DEFINE:
                        fnId = in.readInt();
                        fn = castFunction(Serialization.fromBytes(in.readRest()));
                        break;
                    case PoolWire.MAP:
                        runMap(channel, in, fnId, fn);
                        done++;
                        break;
                    case PoolWire.CALL:
                        runCall(channel, in);
                        done++;
                        break;
                    case PoolWire.QUIT:
                        return;
                    default:
                        throw new IOException("unknown message " + kind);
                }
            } catch (IOException | ClassNotFoundException e) {
                throw new ProcessError("pool worker: cannot read its task: " + e, e);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static TaskFunction<Object, Object> castFunction(Object o) {
        return (TaskFunction<Object, Object>) o;
    }

    private static void runMap(Channel channel, MessageReader in, int fnId, TaskFunction<Object, Object> fn)
            throws IOException, ClassNotFoundException {
        long taskId = in.readLong();
        int wanted = in.readInt();
        if (wanted != fnId || fn == null) {
            throw new IOException("task " + taskId + " names function " + wanted + ", not the one defined");
        }
        List<Object> args = PoolWire.readValues(in);
        List<Object> results;
        try {
            results = applyEach(fn, args);
        } catch (Throwable t) {
            dieIfBroken(t);
            sendError(channel, taskId, t);
            return;
        }
        sendResults(channel, taskId, results);
    }

    /** {@code fn} applied to each argument, in order; the first exception ends it. */
    static List<Object> applyEach(TaskFunction<Object, Object> fn, List<?> args) throws Exception {
        List<Object> results = new ArrayList<>(args.size());
        for (Object arg : args) {
            results.add(fn.apply(arg));
        }
        return results;
    }

    private static void runCall(Channel channel, MessageReader in) throws IOException, ClassNotFoundException {
        long taskId = in.readLong();
        Callable<?> callable = (Callable<?>) Serialization.fromBytes(in.readRest());
        Object result;
        try {
            result = callable.call();
        } catch (Throwable t) {
            dieIfBroken(t);
            sendError(channel, taskId, t);
            return;
        }
        sendResults(channel, taskId, java.util.Collections.singletonList(result));
    }

    /**
     * An {@code OutOfMemoryError} or another error of the JVM itself (but a stack overflow, which
     * unwinds cleanly) leaves this JVM unfit for more work: rethrown, it ends the worker, which the pool
     * replaces; the task fails with {@code WorkerLostException} and the error on stderr.
     */
    private static void dieIfBroken(Throwable t) {
        if (t instanceof VirtualMachineError e && !(t instanceof StackOverflowError)) {
            throw e;
        }
    }

    private static void sendResults(Channel channel, long taskId, List<Object> results) {
        byte[] message;
        try {
            message = PoolWire.resultMessage(taskId, results);
        } catch (IllegalArgumentException notSerializable) {
            sendError(channel, taskId, new ProcessError("the task's result cannot be sent back: "
                    + notSerializable.getMessage(), null));
            return;
        }
        channel.send(message);
    }

    private static void sendError(Channel channel, long taskId, Throwable t) {
        channel.send(PoolWire.errorMessage(taskId, t));
    }
}
