package org.multiprocessing4j.internal.sync;

import static org.multiprocessing4j.internal.sync.SyncLayout.*;

/**
 * A Barrier in shared memory. The WORD holds the generation (high 32 bits), BROKEN (bit 31) and how
 * many threads have arrived in this generation (bits 0..30); every change is one compare-and-set, so
 * no lock is needed. The last to arrive runs the action, then starts the next generation and rings
 * the sleepers; they see the generation move on and leave. A reset that breaks waiting threads
 * records the generation it ended in BROKEN_GEN before it moves on, so those threads can tell a
 * reset from a completed round.
 */
public final class BarrierCore {
    private static final long COUNT_MASK = BROKEN_BIT - 1;

    private final SyncBlock b;

    /** Why a wait ended without passing. */
    public enum Outcome { PASSED, BROKEN, TIMED_OUT }

    private BarrierCore(SyncBlock b) {
        this.b = b;
    }

    public static BarrierCore create(int parties) {
        if (parties < 1) {
            throw new IllegalArgumentException("a barrier needs at least one party, not " + parties);
        }
        return new BarrierCore(SyncBlock.create(KIND_BARRIER, blk -> blk.putInt(LIMIT, parties)));
    }

    public static BarrierCore attach(String name) {
        return new BarrierCore(SyncBlock.attach(name, KIND_BARRIER));
    }

    public SyncBlock block() {
        return b;
    }

    public int parties() {
        return b.getInt(LIMIT);
    }

    private static int gen(long w) {
        return (int) (w >>> 32);
    }

    private static long next(long w) {
        return (long) (gen(w) + 1) << 32;
    }

    /** The result of an arrival: the arrival index, or how the wait ended. */
    public record Arrival(int index, Outcome outcome, Throwable actionFailure) {
    }

    /**
     * Arrives and waits for the others.
     *
     * @param action run by the last to arrive, before anyone is released; if it throws, the barrier
     *     breaks and the failure is returned to that thread
     */
    public Arrival await(Runnable action, boolean timed, long deadline) throws InterruptedException {
        b.checkOpen();
        int parties = parties();
        long w;
        int index;
        while (true) {
            w = b.getLong(WORD);
            if ((w & BROKEN_BIT) != 0) {
                return new Arrival(-1, Outcome.BROKEN, null);
            }
            index = (int) (w & COUNT_MASK);
            if (b.casLong(WORD, w, w + 1)) {
                break;
            }
        }
        int myGen = gen(w);
        if (index + 1 == parties) {
            if (action != null) {
                try {
                    action.run();
                } catch (RuntimeException | Error e) {
                    breakGeneration(myGen);
                    return new Arrival(index, Outcome.BROKEN, e);
                }
            }
            long now = b.getLong(WORD);
            if (gen(now) == myGen && (now & BROKEN_BIT) == 0 && b.casLong(WORD, now, next(now))) {
                b.wakeAll();
                return new Arrival(index, Outcome.PASSED, null);
            }
            return new Arrival(index, Outcome.BROKEN, null); // broken or reset while the action ran
        }
        boolean ended;
        try {
            ended = b.await(() -> {
                long v = b.getLong(WORD);
                return gen(v) != myGen || (v & BROKEN_BIT) != 0;
            }, timed, deadline);
        } catch (InterruptedException e) {
            breakGeneration(myGen);
            throw e;
        }
        long v = b.getLong(WORD);
        if (!ended) {
            breakGeneration(myGen); // a timeout breaks the barrier, as in Python and CyclicBarrier
            return new Arrival(index, Outcome.TIMED_OUT, null);
        }
        if (gen(v) == myGen) {
            return new Arrival(index, Outcome.BROKEN, null);
        }
        return new Arrival(index, b.getInt(BROKEN_GEN) == myGen ? Outcome.BROKEN : Outcome.PASSED, null);
    }

    /** Breaks generation {@code g} if it is still the current one, and wakes its waiters. */
    private void breakGeneration(int g) {
        breakIf(w -> gen(w) == g);
    }

    /** Breaks the barrier: waiting and later arrivals fail until {@link #reset}. */
    public void abort() {
        b.checkOpen();
        breakIf(w -> true);
    }

    /**
     * Sets the broken bit if the barrier word passes {@code test} and is not broken yet, and wakes the
     * waiters; whoever set the bit first has woken them.
     */
    private void breakIf(java.util.function.LongPredicate test) {
        while (true) {
            long w = b.getLong(WORD);
            if (!test.test(w) || (w & BROKEN_BIT) != 0) {
                return;
            }
            if (b.casLong(WORD, w, w | BROKEN_BIT)) {
                b.wakeAll();
                return;
            }
        }
    }

    /** Back to the initial state; threads waiting now fail as broken. */
    public void reset() {
        b.checkOpen();
        while (true) {
            long w = b.getLong(WORD);
            boolean breaksWaiters = (w & COUNT_MASK) != 0 || (w & BROKEN_BIT) != 0;
            if (breaksWaiters) {
                b.putInt(BROKEN_GEN, gen(w)); // before the generation moves: its waiters read it after
            }
            if (b.casLong(WORD, w, next(w))) {
                b.wakeAll();
                return;
            }
        }
    }

    public boolean isBroken() {
        return (b.getLong(WORD) & BROKEN_BIT) != 0;
    }

    public int numberWaiting() {
        long w = b.getLong(WORD);
        return (w & BROKEN_BIT) != 0 ? 0 : (int) (w & COUNT_MASK);
    }
}
