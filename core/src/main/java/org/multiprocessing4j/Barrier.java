package org.multiprocessing4j;

import java.io.Serializable;
import java.time.Duration;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.TimeoutException;
import org.multiprocessing4j.internal.sync.BarrierCore;
import org.multiprocessing4j.internal.sync.SyncBlock;

/**
 * A barrier for a fixed number of threads in any processes, Python's {@code multiprocessing.Barrier},
 * shaped like {@link java.util.concurrent.CyclicBarrier}.
 *
 * <p>Each of {@link #parties()} threads calls {@link #await()}; the last to arrive runs the action (if
 * any), then all are released together and the barrier is ready for the next round. {@code await}
 * returns the thread's arrival index, 0 for the first to arrive and {@code parties - 1} for the last,
 * as in Python (not reversed as in {@code CyclicBarrier}); exactly one thread of each round gets 0.
 *
 * <p>The barrier breaks, and every waiting and later {@code await} throws
 * {@link BrokenBarrierException} until {@link #reset()}, when: a waiting thread times out (it gets
 * {@link TimeoutException} from {@link #await(Duration)}, or {@code BrokenBarrierException} from
 * {@link #await()} when the barrier's default timeout passes, as in Python), is interrupted, the
 * action throws (that exception goes to the thread that ran it), or {@link #abort()} is called.
 * {@link #reset()} breaks the threads waiting now and starts afresh.
 *
 * <p>Unlike the package's other Python-named calls, {@code await} follows {@code CyclicBarrier}: an
 * interrupt is a checked {@link InterruptedException} (and breaks the barrier), a broken barrier a
 * {@link BrokenBarrierException}. Waiting threads sleep without using CPU. A null timeout waits for
 * ever, a negative one is an {@link IllegalArgumentException}; so is a number of parties below 1. A party whose process dies before it arrives is not noticed: the
 * others wait for it until their timeout, so give one when a party may die. A serializable handle,
 * action and default timeout included (the action runs in whichever process arrives last, so it must
 * be serializable). {@link #close()} as for {@link Lock}.
 */
public final class Barrier implements AutoCloseable, Serializable {
    private static final long serialVersionUID = 1L;

    private final String name;
    private final SerializableRunnable action;
    private final Duration timeout;
    private final transient BarrierCore core;

    /** A barrier for {@code parties} threads, without action or default timeout. */
    public Barrier(int parties) {
        this(parties, null, null);
    }

    /** A barrier whose last arriving thread runs {@code action} before releasing the others. */
    public Barrier(int parties, SerializableRunnable action) {
        this(parties, action, null);
    }

    /** A barrier with a default timeout for {@link #await()}. */
    public Barrier(int parties, Duration timeout) {
        this(parties, null, timeout);
    }

    /**
     * A barrier for {@code parties} threads.
     *
     * @param action run by the last thread to arrive, or null
     * @param timeout the default for {@link #await()}, or null for none
     * @throws IllegalArgumentException if {@code parties} is less than 1 or the timeout negative
     */
    public Barrier(int parties, SerializableRunnable action, Duration timeout) {
        if (timeout != null && timeout.isNegative()) {
            throw new IllegalArgumentException("a timeout cannot be negative: " + timeout);
        }
        this.core = BarrierCore.create(parties);
        this.name = core.block().name();
        this.action = action;
        this.timeout = timeout;
    }

    private Barrier(String name, SerializableRunnable action, Duration timeout) {
        this.core = BarrierCore.attach(name);
        this.name = name;
        this.action = action;
        this.timeout = timeout;
    }

    /**
     * Waits until all parties have arrived (or the barrier's default timeout passes).
     *
     * @return the arrival index, 0 to {@code parties - 1}
     * @throws BrokenBarrierException if the barrier is or becomes broken, or the default timeout passed
     * @throws InterruptedException if interrupted; the barrier breaks
     */
    public int await() throws InterruptedException, BrokenBarrierException {
        try {
            return arrive(timeout);
        } catch (TimeoutException e) {
            BrokenBarrierException broken = new BrokenBarrierException("the barrier timed out after " + timeout);
            broken.initCause(e);
            throw broken;
        }
    }

    /**
     * Waits at most {@code timeout} for all parties.
     *
     * @return the arrival index
     * @throws TimeoutException if the timeout passed first; the barrier breaks
     * @throws BrokenBarrierException if the barrier is or becomes broken
     * @throws InterruptedException if interrupted; the barrier breaks
     * @throws IllegalArgumentException if the timeout is negative
     */
    public int await(Duration timeout) throws InterruptedException, BrokenBarrierException, TimeoutException {
        return arrive(timeout);
    }

    private int arrive(Duration t) throws InterruptedException, BrokenBarrierException, TimeoutException {
        BarrierCore.Arrival a = core.await(action, t != null, SyncBlock.deadline(t));
        switch (a.outcome()) {
            case PASSED:
                return a.index();
            case TIMED_OUT:
                throw new TimeoutException("the barrier's " + parties() + " parties did not all arrive within " + t);
            default:
                if (a.actionFailure() instanceof RuntimeException e) {
                    throw e;
                }
                if (a.actionFailure() instanceof Error e) {
                    throw e;
                }
                throw new BrokenBarrierException();
        }
    }

    /** Resets to the initial state; threads waiting now get {@link BrokenBarrierException}. */
    public void reset() {
        core.reset();
    }

    /** Breaks the barrier: waiting and later {@code await}s fail until {@link #reset()}. */
    public void abort() {
        core.abort();
    }

    public boolean isBroken() {
        return core.isBroken();
    }

    public int parties() {
        return core.parties();
    }

    /** Threads waiting at the barrier now (Python's {@code n_waiting}). */
    public int numberWaiting() {
        return core.numberWaiting();
    }

    @Override
    public void close() {
        core.block().close();
    }

    @Override
    public String toString() {
        return "<Barrier(parties=" + parties() + ", waiting=" + numberWaiting() + (isBroken() ? ", broken" : "") + ")>";
    }

    private Object writeReplace() {
        return new Handle(name, action, timeout);
    }

    private record Handle(String name, SerializableRunnable action, Duration timeout) implements Serializable {
        private Object readResolve() {
            return new Barrier(name, action, timeout);
        }
    }
}
