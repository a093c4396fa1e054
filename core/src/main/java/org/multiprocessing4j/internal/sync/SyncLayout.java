package org.multiprocessing4j.internal.sync;

/**
 * The binary layout of a synchronisation object in its shared-memory segment: the only place it is
 * written down. Native byte order; every field is naturally aligned, so that it can be read and
 * written atomically by any process that maps the segment.
 *
 * <pre>
 *   offset  size  field
 *   0       4     MAGIC 'MP4S'
 *   4       4     KIND: 1 Lock, 2 RLock, 3 Semaphore, 4 BoundedSemaphore, 5 Event, 6 Condition, 7 Barrier
 *   8       8     WORD   Lock/RLock: owner (pid &lt;&lt; 32 | thread tag), 0 when free; bit 31 = WAITERS
 *                        Barrier: generation &lt;&lt; 32 | BROKEN (bit 31) | threads arrived (bits 0..30)
 *   16      4     COUNT  Semaphore: value; Event: 1 set, 0 clear
 *   20      4     LIMIT  BoundedSemaphore: initial value; Barrier: parties
 *   24      4     WAITERS  threads registered (or registering) in the wait slots; wakers look here
 *   28      4     BROKEN_GEN  Barrier: the last generation that ended broken (by reset), -1 none
 *   32      8     TICKET  Condition: the next waiter's ticket (arrival order)
 *   40      4     SLOTS_USED  1 + the highest wait slot ever taken: wakers scan no further
 *   64      512   HOLDERS  BoundedSemaphore: 64 x (pid int32, permits held int32), pid 0 = free
 *   1024    ...   SLOTS    SLOT_COUNT wait slots of SLOT_SIZE bytes:
 *
 *     slot +0    4    pid of the waiting thread's process, 0 = free (claimed by CAS)
 *     slot +4    4    state: Condition 1 WAITING, 2 SIGNALLED; 0 otherwise
 *     slot +8    8    ticket: Condition arrival order
 *     slot +16   2    length of the doorbell's path
 *     slot +18   110  the doorbell's path (UTF-8): the named pipe (FIFO) that wakes the waiter's JVM
 * </pre>
 *
 * A lock, semaphore, event or barrier waiter that finds no free slot waits by polling instead; a
 * Condition's waiter needs a slot, and fails without one (see {@link ConditionCore}).
 */
final class SyncLayout {
    static final int MAGIC_VALUE = 0x4D503453; // 'MP4S'

    static final int MAGIC = 0;
    static final int KIND = 4;
    static final int WORD = 8;
    static final int COUNT = 16;
    static final int LIMIT = 20;
    static final int WAITERS = 24;
    static final int BROKEN_GEN = 28;
    static final int TICKET = 32;
    static final int SLOTS_USED = 40;

    static final int HOLDERS = 64;
    static final int HOLDER_COUNT = 64;
    static final int HOLDER_SIZE = 8;

    static final int SLOTS = 1024;
    static final int SLOT_SIZE = 128;
    static final int SLOT_COUNT = 120;
    static final int SLOT_PID = 0;
    static final int SLOT_STATE = 4;
    static final int SLOT_TICKET = 8;
    static final int SLOT_PATH_LENGTH = 16;
    static final int SLOT_PATH = 18;
    static final int SLOT_PATH_MAX = SLOT_SIZE - SLOT_PATH;

    /** The segment's size: header, holders and slots, four pages. */
    static final int SIZE = SLOTS + SLOT_COUNT * SLOT_SIZE;

    static final int KIND_LOCK = 1;
    static final int KIND_RLOCK = 2;
    static final int KIND_SEMAPHORE = 3;
    static final int KIND_BOUNDED_SEMAPHORE = 4;
    static final int KIND_EVENT = 5;
    static final int KIND_CONDITION = 6;
    static final int KIND_BARRIER = 7;

    /** Lock/RLock word: a thread is waiting, so the releaser must wake the waiters. */
    static final long WAITERS_BIT = 1L << 31;
    /** Barrier word: broken. */
    static final long BROKEN_BIT = 1L << 31;

    static final int STATE_WAITING = 1;
    static final int STATE_SIGNALLED = 2;

    private SyncLayout() {
    }

    static int slot(int i) {
        return SLOTS + i * SLOT_SIZE;
    }

    static int holder(int i) {
        return HOLDERS + i * HOLDER_SIZE;
    }

    static String kindName(int kind) {
        return switch (kind) {
            case KIND_LOCK -> "Lock";
            case KIND_RLOCK -> "RLock";
            case KIND_SEMAPHORE -> "Semaphore";
            case KIND_BOUNDED_SEMAPHORE -> "BoundedSemaphore";
            case KIND_EVENT -> "Event";
            case KIND_CONDITION -> "Condition";
            case KIND_BARRIER -> "Barrier";
            default -> "kind " + kind;
        };
    }
}
