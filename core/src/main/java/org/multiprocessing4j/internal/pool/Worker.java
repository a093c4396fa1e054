package org.multiprocessing4j.internal.pool;

import java.util.ArrayDeque;
import org.multiprocessing4j.Process;
import org.multiprocessing4j.internal.wire.SocketTransport;

/**
 * One worker process of a {@link PoolEngine}: the process, its connection once it has connected, and
 * what the {@link Dispatcher} has given it. The tasks in flight run there in the order sent; the head
 * runs. Fields marked "guarded" are read and written with the engine's lock held.
 */
final class Worker {
    final int number;       // says so first when it connects
    final int slot;         // which of the pool's places it fills; its replacement fills the same
    final Process process;
    volatile SocketTransport pipe; // set once, under the lock, when the worker has connected
    final Object sendLock = new Object(); // one sender at a time
    boolean connected;      // guarded: pipe is set
    final ArrayDeque<Task> inFlight = new ArrayDeque<>(); // guarded
    final ArrayDeque<Task> outbox = new ArrayDeque<>();   // guarded: assigned, not yet sent
    int sent;               // guarded: tasks ever assigned here
    int lastFn = -1;        // guarded: the function this worker holds, once what is sent arrives
    long headSince;         // guarded: when the head task started (or was sent)
    long paceNanos;         // guarded: a moving average of the time a task takes here
    int window = Dispatcher.MIN_WINDOW; // guarded: tasks allowed in flight
    boolean quitSent;       // guarded: told to quit once idle
    boolean quitWritten;    // guarded
    boolean dead;           // guarded
    Task timedOut;          // guarded: killed because this task overran its deadline

    Worker(int number, int slot, Process process) {
        this.number = number;
        this.slot = slot;
        this.process = process;
    }

    /** Takes the worker's connection. Caller holds the lock. */
    void connect(SocketTransport pipe) {
        this.pipe = pipe;
        this.connected = true;
    }
}
