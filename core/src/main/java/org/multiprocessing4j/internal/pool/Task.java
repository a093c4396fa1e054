package org.multiprocessing4j.internal.pool;

import java.util.List;
import java.util.concurrent.Callable;

/**
 * A unit of work of a pool: a chunk of a map, or one call. For worker processes it travels as
 * {@code frame}; for threads it is run from {@code fn} and {@code args}, or {@code callable}.
 */
public final class Task {
    final long id;
    final Engine.Job job;
    final int index;
    final int fnId;          // -1 for a call
    final byte[] fnBytes;    // the function, for a worker that does not hold it yet
    final byte[] frame;      // the MAP or CALL message
    final Object fn;         // threads: the function of a chunk
    final List<?> args;      // threads: the chunk
    final Callable<?> callable; // threads: the call
    final long timeoutNanos; // 0: none
    int attempts;            // guarded by the engine's lock
    boolean finished;        // guarded by the engine's lock
    Worker worker;           // guarded by the engine's lock: the process it is in flight in, if any
    long ranNanos;           // guarded by the engine's lock: how long its worker took, once it answered
    Thread thread;           // guarded by the engine's lock: the thread running it, if any

    Task(long id, Engine.Job job, int index, int fnId, byte[] fnBytes, byte[] frame, Object fn, List<?> args,
         Callable<?> callable, long timeoutNanos) {
        this.id = id;
        this.job = job;
        this.index = index;
        this.fnId = fnId;
        this.fnBytes = fnBytes;
        this.frame = frame;
        this.fn = fn;
        this.args = args;
        this.callable = callable;
        this.timeoutNanos = timeoutNanos;
    }

    /**
     * A chunk of a map for a worker process: {@code fnBytes} (the function {@code fnId}, serialized)
     * applied to each of {@code args}, laid out as the worker reads it.
     *
     * @param timeoutNanos the deadline; 0 for none
     * @throws IllegalArgumentException if an argument cannot be serialized (the message names its class),
     *     or the chunk exceeds the message limit
     */
    public static Task ofChunk(long id, Engine.Job job, int index, int fnId, byte[] fnBytes, List<?> args,
                               long timeoutNanos) {
        return new Task(id, job, index, fnId, fnBytes, PoolWire.mapMessage(id, fnId, args), null, null, null,
                timeoutNanos);
    }

    /** One call for a worker process, of a callable given serialized. */
    public static Task ofCall(long id, Engine.Job job, int index, byte[] callable, long timeoutNanos) {
        return new Task(id, job, index, -1, null, PoolWire.callMessage(id, callable), null, null, null, timeoutNanos);
    }

    /** The id its engine gave it. */
    public long id() {
        return id;
    }

    /** Where its outcome goes. */
    public Engine.Job job() {
        return job;
    }

    /** The position of this task in its job (a chunk's number; 0 for a call). */
    public int index() {
        return index;
    }

    /** The function of a chunk; -1 for a call. */
    public int fnId() {
        return fnId;
    }

    /** The function of a chunk, serialized; null for a call. */
    public byte[] fnBytes() {
        return fnBytes;
    }

    /** The message a worker process reads (see {@link PoolWire}); not to be changed. */
    public byte[] message() {
        return frame;
    }

    /** The deadline, counted from when a worker starts it; 0 for none. */
    public long timeoutNanos() {
        return timeoutNanos;
    }
}
