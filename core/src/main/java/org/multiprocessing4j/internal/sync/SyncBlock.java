package org.multiprocessing4j.internal.sync;

import static org.multiprocessing4j.internal.sync.SyncLayout.*;

import java.nio.MappedByteBuffer;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.multiprocessing4j.internal.shm.Ordered;
import org.multiprocessing4j.internal.shm.Segment;
import org.multiprocessing4j.internal.wait.Deadline;
import org.multiprocessing4j.internal.wait.IdleStrategy;

/**
 * A synchronisation object's segment ({@link SyncLayout}) and the way threads of any process wait on
 * it: spin a little, then take a wait slot with this JVM's {@link Doorbell} and sleep until a waker
 * rings it. Sleeping threads also look again now and then: every {@link #LOOK_NANOS} where an owner
 * may die (which is how a lock whose holder died is taken over), every {@link #IDLE_LOOK_NANOS}
 * otherwise, so that a lost ring (a waker that could not write to the doorbell) costs latency, never a
 * hang.
 */
public final class SyncBlock {
    /** The longest a waiter sleeps without looking again. */
    static final long LOOK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** The longest a waiter that has no owner to watch sleeps without looking again. */
    static final long IDLE_LOOK_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private static final int PID = (int) ProcessHandle.current().pid();
    private static final AtomicInteger TAGS = new AtomicInteger();
    private static final ThreadLocal<Integer> TAG = ThreadLocal.withInitial(() -> TAGS.incrementAndGet() & 0x7fffffff);

    /** Unlinks the segments of created objects that became unreachable without being closed, as Python does. */
    private static final java.lang.ref.Cleaner CLEANER = java.lang.ref.Cleaner.create();

    final Segment segment;
    final MappedByteBuffer buf;
    final int kind;
    private final java.lang.ref.Cleaner.Cleanable unlink; // created objects only
    private volatile boolean closed;

    private SyncBlock(Segment segment, int kind) {
        this.segment = segment;
        this.buf = segment.mapped();
        this.kind = kind;
        this.unlink = segment.created() ? CLEANER.register(this, segment::unlink) : null;
    }

    /** Creates the segment of a new object of {@code kind}; {@code init} sets its fields before it is published. */
    public static SyncBlock create(int kind, java.util.function.Consumer<SyncBlock> init) {
        SyncBlock b = new SyncBlock(Segment.create(null, SIZE, true), kind);
        b.putInt(KIND, kind);
        b.putInt(BROKEN_GEN, -1);
        init.accept(b);
        Ordered.putIntVolatile(b.buf, MAGIC, MAGIC_VALUE); // publishes the fields above
        return b;
    }

    /**
     * Maps the object of that name, which must be of {@code kind}.
     *
     * @throws IllegalStateException if it no longer exists (its creator closed it, or the program ended)
     * @throws IllegalArgumentException if it is another kind
     */
    public static SyncBlock attach(String name, int kind) {
        Segment s;
        try {
            s = Segment.attach(name);
        } catch (IllegalArgumentException gone) {
            throw new IllegalStateException("the " + kindName(kind) + " '" + name
                    + "' no longer exists: its creating process closed it, or the program ended", gone);
        }
        SyncBlock b = new SyncBlock(s, kind);
        if (s.size() < SIZE || Ordered.getIntVolatile(b.buf, MAGIC) != MAGIC_VALUE || b.getInt(KIND) != kind) {
            throw new IllegalArgumentException("'" + name + "' is not a " + kindName(kind));
        }
        return b;
    }

    public String name() {
        return segment.name();
    }

    /** This process's pid as the layout stores it. */
    public static int pid() {
        return PID;
    }

    /** The calling thread's owner word for a Lock/RLock: pid and a tag unique in this JVM. */
    public static long ownerWord() {
        return (long) PID << 32 | TAG.get();
    }

    /** The pid in an owner word. */
    public static int ownerPid(long word) {
        return (int) (word >>> 32);
    }

    /** True if the process is running (a pid of 0 or this process counts as running). */
    public static boolean alive(int pid) {
        if (pid == 0 || pid == PID) {
            return true;
        }
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /**
     * Closes this handle; the creator's close also unlinks the segment, so no new process can attach
     * (processes that hold it keep working). The creator's segment is also unlinked when this object
     * becomes unreachable unclosed. Idempotent.
     */
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (unlink != null) {
            unlink.clean();
        }
    }

    public boolean isClosed() {
        return closed;
    }

    public void checkOpen() {
        if (closed) {
            throw new IllegalStateException("this " + kindName(kind) + " is closed");
        }
    }

    // ---- fields ----

    public int getInt(int offset) {
        return Ordered.getIntVolatile(buf, offset);
    }

    public void putInt(int offset, int value) {
        Ordered.putIntVolatile(buf, offset, value);
    }

    public boolean casInt(int offset, int expected, int value) {
        return Ordered.compareAndSetInt(buf, offset, expected, value);
    }

    public int getAndAddInt(int offset, int delta) {
        return Ordered.getAndAddInt(buf, offset, delta);
    }

    public long getLong(int offset) {
        return Ordered.getLongVolatile(buf, offset);
    }

    public void putLong(int offset, long value) {
        Ordered.putLongVolatile(buf, offset, value);
    }

    public boolean casLong(int offset, long expected, long value) {
        return Ordered.compareAndSetLong(buf, offset, expected, value);
    }

    public long getAndAddLong(int offset, long delta) {
        return Ordered.getAndAddLong(buf, offset, delta);
    }

    // ---- waiting ----

    /** What a waiter does besides its attempt. */
    public interface Waiter {
        /** Tries to take what it waits for; true ends the wait. Called often; must not block. */
        boolean attempt();

        /**
         * Called before the thread sleeps, after it registered, to make sure a waker will look at the
         * wait slots (e.g. set the lock word's WAITERS bit); false means: attempt again first.
         */
        default boolean beforeSleep() {
            return true;
        }

        /**
         * Called every {@link #LOOK_NANOS} while the thread sleeps: e.g. take over a lock whose owner
         * died. True ends the wait as a success.
         */
        default boolean afterLongSleep() {
            return false;
        }

        /**
         * How long the thread sleeps without looking again: {@link #LOOK_NANOS} for waiters that watch
         * an owner; those that only guard against a lost ring look every {@link #IDLE_LOOK_NANOS}.
         */
        default long lookNanos() {
            return IDLE_LOOK_NANOS;
        }
    }

    /**
     * Waits until {@code w.attempt()} is true, or until {@code deadline} ({@link System#nanoTime}) if
     * {@code timed}.
     *
     * @return true if the attempt succeeded, false on timeout
     * @throws InterruptedException if interrupted while sleeping
     */
    public boolean await(Waiter w, boolean timed, long deadline) throws InterruptedException {
        if (timed && deadline - System.nanoTime() <= 0) {
            return w.attempt(); // Duration.ZERO, or a deadline already past: one try, no spinning
        }
        IdleStrategy idle = IdleStrategy.SHARED_MEMORY;
        for (int n = 0; n < idle.idlesBeforeParking(); n++) {
            if (w.attempt()) {
                return true;
            }
            if (idle.isYielding(n) && timed && deadline - System.nanoTime() <= 0) {
                return false;
            }
            idle.idleSpinningOrYielding(n);
        }
        int slot = register(0, 0);
        try {
            return sleepLoop(w, slot, timed, deadline);
        } finally {
            unregister(slot);
        }
    }

    /** The sleeping part of a wait, for a caller that registered a slot itself ({@link #register}). */
    boolean sleepLoop(Waiter w, int slot, boolean timed, long deadline) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        long lastLook = System.nanoTime();
        long look = w.lookNanos();
        while (true) {
            long gen = Doorbell.generation();
            if (w.attempt()) {
                return true;
            }
            if (!w.beforeSleep()) {
                continue;
            }
            long now = System.nanoTime();
            long left = timed ? deadline - now : Long.MAX_VALUE;
            if (left <= 0) {
                return false;
            }
            Doorbell.awaitChange(gen, Math.min(left, polls(slot) ? POLL_NANOS : look));
            now = System.nanoTime();
            if (now - lastLook >= look) {
                lastLook = now;
                if (w.afterLongSleep()) {
                    return true;
                }
            }
        }
    }

    /**
     * Takes a wait slot for the calling thread: counts it in WAITERS, writes this JVM's doorbell (or
     * none, if it cannot be served: then the waiter polls), then the pid, which makes it visible to
     * wakers.
     *
     * @return the slot's offset, or -1 if none is free (the caller then polls)
     */
    int register(int state, long ticket) {
        getAndAddInt(WAITERS, 1);
        String bell = Doorbell.path();
        byte[] path = bell == null ? new byte[0] : Doorbell.encode(bell);
        if (path.length > SLOT_PATH_MAX) {
            path = new byte[0];
        }
        for (int i = 0; i < SLOT_COUNT; i++) {
            int at = slot(i);
            if (Ordered.getIntVolatile(buf, at + SLOT_PID) == 0 && casInt(at + SLOT_PID, 0, -1)) {
                buf.putShort(at + SLOT_PATH_LENGTH, (short) path.length);
                buf.put(at + SLOT_PATH, path);
                Ordered.putLongVolatile(buf, at + SLOT_TICKET, ticket);
                Ordered.putIntVolatile(buf, at + SLOT_STATE, state);
                Ordered.putIntVolatile(buf, at + SLOT_PID, PID); // publishes the slot
                int used;
                while ((used = getInt(SLOTS_USED)) < i + 1 && !casInt(SLOTS_USED, used, i + 1)) {
                    Thread.onSpinWait(); // raised before the waiter looks at its object, so wakers see the slot
                }
                return at;
            }
        }
        return -1;
    }

    /** True if the slot's waiter has no doorbell (it polls). */
    boolean polls(int at) {
        return at < 0 || buf.getShort(at + SLOT_PATH_LENGTH) == 0;
    }

    void unregister(int slot) {
        if (slot >= 0) {
            Ordered.putIntVolatile(buf, slot + SLOT_STATE, 0);
            Ordered.putIntVolatile(buf, slot + SLOT_PID, 0);
        }
        getAndAddInt(WAITERS, -1);
    }

    /** Wakes every waiter, in every process, if any is registered. */
    public void wakeIfWaiting() {
        if (getInt(WAITERS) != 0) {
            wakeAll();
        }
    }

    /** Rings the doorbell of every process with a registered waiter (each once). */
    public void wakeAll() {
        Set<String> rung = null;
        boolean local = false;
        int used = Math.min(getInt(SLOTS_USED), SLOT_COUNT);
        for (int i = 0; i < used; i++) {
            int at = slot(i);
            int pid = Ordered.getIntVolatile(buf, at + SLOT_PID);
            if (pid == 0 || pid == -1) {
                continue;
            }
            if (pid == PID) {
                local = true;
                continue;
            }
            String path = pathAt(at);
            if (rung == null) {
                rung = new HashSet<>();
            }
            if (!path.isEmpty() && rung.add(path)) {
                ring(at, pid, path);
            }
        }
        if (local) {
            Doorbell.wakeLocal();
        }
    }

    /** Wakes the waiter in one slot. */
    void wake(int at) {
        int pid = Ordered.getIntVolatile(buf, at + SLOT_PID);
        if (pid == PID) {
            Doorbell.wakeLocal();
        } else if (pid != 0 && pid != -1 && !polls(at)) {
            ring(at, pid, pathAt(at));
        }
    }

    private void ring(int at, int pid, String path) {
        if (!Doorbell.ring(path, pid) && !alive(pid) && casInt(at + SLOT_PID, pid, 0)) {
            getAndAddInt(WAITERS, -1); // the waiter died waiting: its slot and count are freed for it
        }
    }

    private String pathAt(int at) {
        int n = buf.getShort(at + SLOT_PATH_LENGTH);
        byte[] b = new byte[Math.max(0, Math.min(n, SLOT_PATH_MAX))];
        buf.get(at + SLOT_PATH, b);
        return new String(b, java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * Converts a timeout to an unboxed {@link Deadline}; null is "no timeout".
     *
     * @throws IllegalArgumentException if it is negative
     */
    public static long deadline(java.time.Duration timeout) {
        if (timeout != null && timeout.isNegative()) {
            throw new IllegalArgumentException("a timeout cannot be negative: " + timeout);
        }
        return Deadline.at(timeout);
    }
}
