package org.multiprocessing4j.internal.sync;

import static org.multiprocessing4j.internal.sync.SyncLayout.*;

/**
 * An Event in shared memory: the flag in COUNT, and in LIMIT how many times it was set, so that a
 * waiter woken by a {@link #set} that a {@link #clear} undid at once still returns true, as a
 * {@code threading.Event} does.
 */
public final class EventCore {
    private final SyncBlock b;

    private EventCore(SyncBlock b) {
        this.b = b;
    }

    public static EventCore create() {
        return new EventCore(SyncBlock.create(KIND_EVENT, x -> { }));
    }

    public static EventCore attach(String name) {
        return new EventCore(SyncBlock.attach(name, KIND_EVENT));
    }

    public SyncBlock block() {
        return b;
    }

    public void set() {
        b.checkOpen();
        b.getAndAddInt(LIMIT, 1);
        b.putInt(COUNT, 1);
        b.wakeIfWaiting();
    }

    public void clear() {
        b.checkOpen();
        b.putInt(COUNT, 0);
    }

    public boolean isSet() {
        return b.getInt(COUNT) != 0;
    }

    /** Waits until set; false if {@code timed} and the deadline passed first. */
    public boolean await(boolean timed, long deadline) throws InterruptedException {
        b.checkOpen();
        if (isSet()) {
            return true;
        }
        int sets = b.getInt(LIMIT);
        return b.await(() -> b.getInt(COUNT) != 0 || b.getInt(LIMIT) != sets, timed, deadline);
    }
}
