package org.multiprocessing4j.internal.sync;

import static org.multiprocessing4j.internal.sync.SyncLayout.*;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A Condition in shared memory, bound to a {@link LockCore}. A waiter takes a wait slot marked
 * WAITING with a ticket (its arrival order), releases the lock, and sleeps until its slot says
 * SIGNALLED; {@link #signal} marks the {@code n} oldest waiters SIGNALLED and rings them. Both run
 * under the lock, so a signal sees every waiter that came before it. A waiter that times out clears
 * its mark by compare-and-set; if a signal got there first, the wait counts as signalled.
 */
public final class ConditionCore {
    private final SyncBlock b;
    private final LockCore lock;

    private ConditionCore(SyncBlock b, LockCore lock) {
        this.b = b;
        this.lock = lock;
    }

    public static ConditionCore create(LockCore lock) {
        return new ConditionCore(SyncBlock.create(KIND_CONDITION, x -> { }), lock);
    }

    public static ConditionCore attach(String name, LockCore lock) {
        return new ConditionCore(SyncBlock.attach(name, KIND_CONDITION), lock);
    }

    public SyncBlock block() {
        return b;
    }

    public LockCore lock() {
        return lock;
    }

    /**
     * Releases the lock, waits for a signal (or the deadline), and takes the lock back, also when
     * interrupted, before returning or throwing.
     *
     * @return true if signalled, false on timeout
     * @throws IllegalStateException if the calling thread does not hold the lock
     */
    public boolean await(boolean timed, long deadline) throws InterruptedException {
        b.checkOpen();
        if (!lock.isMine()) {
            throw new IllegalStateException("cannot wait on a Condition whose lock this thread does not hold");
        }
        long ticket = b.getAndAddLong(TICKET, 1);
        int slot = b.register(STATE_WAITING, ticket);
        if (slot < 0) {
            b.unregister(-1);
            throw new IllegalStateException("too many threads wait on this Condition (at most " + SLOT_COUNT + ")");
        }
        int depth = lock.releaseAll();
        boolean signalled = false;
        InterruptedException interrupted = null;
        try {
            signalled = b.sleepLoop(() -> b.getInt(slot + SLOT_STATE) == STATE_SIGNALLED, slot, timed, deadline);
        } catch (InterruptedException e) {
            interrupted = e;
        } finally {
            if (!signalled && !b.casInt(slot + SLOT_STATE, STATE_WAITING, 0)) {
                signalled = true; // a signal came with the timeout or the interrupt
            }
            b.unregister(slot);
            reacquire(depth);
        }
        if (interrupted != null) {
            throw interrupted;
        }
        return signalled;
    }

    private void reacquire(int depth) {
        boolean interrupted = false;
        while (true) {
            try {
                lock.reacquire(depth);
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Wakes up to {@code n} waiters, the longest-waiting first.
     *
     * @throws IllegalStateException if the calling thread does not hold the lock
     */
    public void signal(int n) {
        b.checkOpen();
        if (!lock.isMine()) {
            throw new IllegalStateException("cannot signal a Condition whose lock this thread does not hold");
        }
        if (n <= 0 || b.getInt(WAITERS) == 0) {
            return;
        }
        List<long[]> waiting = new ArrayList<>();
        int used = Math.min(b.getInt(SLOTS_USED), SLOT_COUNT);
        for (int i = 0; i < used; i++) {
            int at = SyncLayout.slot(i);
            if (b.getInt(at + SLOT_PID) > 0 && b.getInt(at + SLOT_STATE) == STATE_WAITING) {
                waiting.add(new long[] {b.getLong(at + SLOT_TICKET), at});
            }
        }
        waiting.sort(Comparator.comparingLong(w -> w[0]));
        int woken = 0;
        for (long[] w : waiting) {
            if (woken == n) {
                break;
            }
            int at = (int) w[1];
            int pid = b.getInt(at + SLOT_PID);
            if (pid <= 0) {
                continue;
            }
            if (!SyncBlock.alive(pid)) {
                if (b.casInt(at + SLOT_STATE, STATE_WAITING, 0) && b.casInt(at + SLOT_PID, pid, 0)) {
                    b.getAndAddInt(WAITERS, -1); // died waiting: free its slot for it
                }
                continue;
            }
            if (b.casInt(at + SLOT_STATE, STATE_WAITING, STATE_SIGNALLED)) {
                woken++;
                b.wake(at);
            }
        }
    }
}
