package org.multiprocessing4j.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.multiprocessing4j.Process;
import org.multiprocessing4j.SerializableRunnable;
import org.multiprocessing4j.SharedInt;
import org.multiprocessing4j.Value;

/**
 * Beyond the seeds (issue 5): Python's {@code Value('i', 0)} as a shared counter. Four processes each
 * add one to it a thousand times with {@code counter.set(counter.get() + 1)}: first without the lock,
 * the race every {@code multiprocessing} tutorial warns about (a process that reads, works, and writes
 * back overwrites the increments the others made meanwhile, so the total is usually less than 4000,
 * never more), then holding {@code counter.getLock()}, Python's {@code with counter.get_lock():},
 * which gives exactly 4000. The Python program it mirrors:
 *
 * <pre>
 * def add_unlocked(counter):
 *     for _ in range(1000):
 *         value = counter.value
 *         time.sleep(0.0002)            # the work between reading and writing
 *         counter.value = value + 1
 *
 * def add_locked(counter):
 *     for _ in range(1000):
 *         with counter.get_lock():
 *             value = counter.value
 *             time.sleep(0.0002)
 *             counter.value = value + 1
 *
 * if __name__ == '__main__':
 *     for name, add in (("without the lock", add_unlocked), ("with the lock", add_locked)):
 *         counter = Value('i', 0)
 *         processes = [Process(target=add, args=(counter,)) for _ in range(4)]
 *         for p in processes:
 *             p.start()
 *         for p in processes:
 *             p.join()
 *         print("Counter " + name + ":", counter.value)
 * </pre>
 *
 * ({@code counter.incrementAndGet()} would be exact without the lock too: it is one atomic instruction.)
 */
public final class SharedCounter {
    private SharedCounter() {
    }

    /** The work between reading the counter and writing it back: a fifth of a millisecond. */
    static void work() {
        LockSupport.parkNanos(200_000);
    }

    static void addUnlocked(SharedInt counter) {
        for (int i = 0; i < 1000; i++) {
            int value = counter.get();
            work();
            counter.set(value + 1);
        }
    }

    static void addLocked(SharedInt counter) {
        for (int i = 0; i < 1000; i++) {
            counter.getLock().acquire();
            try {
                int value = counter.get();
                work();
                counter.set(value + 1);
            } finally {
                counter.getLock().release();
            }
        }
    }

    static void run(String name, SharedInt counter, SerializableRunnable add) {
        List<Process> processes = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            processes.add(new Process(add));
        }
        for (Process p : processes) {
            p.start();
        }
        for (Process p : processes) {
            p.join();
        }
        System.out.println("Counter " + name + ": " + counter.get());
    }

    public static void main(String[] args) {
        try (SharedInt counter = Value.ofInt(0)) {
            run("without the lock", counter, () -> addUnlocked(counter));
        }
        try (SharedInt counter = Value.ofInt(0)) {
            run("with the lock", counter, () -> addLocked(counter));
        }
    }
}
