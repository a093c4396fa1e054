package org.multiprocessing4j;

/**
 * Typed scalars in shared memory, Python's {@code multiprocessing.Value} and {@code RawValue}:
 *
 * <pre>{@code
 * try (SharedInt counter = Value.ofInt(0)) {          // Value('i', 0)
 *     Process p = new Process(() -> {
 *         counter.getLock().acquire();                 // with counter.get_lock():
 *         try {
 *             counter.set(counter.get() + 1);          //     counter.value += 1
 *         } finally {
 *             counter.getLock().release();
 *         }
 *     });
 *     p.start();
 *     p.join();
 *     System.out.println(counter.get());              // 1
 * }
 * }</pre>
 *
 * <table>
 *   <caption>Factories and their Python counterparts</caption>
 *   <tr><th>Java</th><th>Python</th></tr>
 *   <tr><td>{@link #ofInt}, {@link #ofLong}, {@link #ofDouble}, {@link #ofBoolean}</td>
 *       <td>{@code Value('i'|'q'|'d'|c_bool, x)}</td></tr>
 *   <tr><td>{@link #rawInt}, {@link #rawLong}, {@link #rawDouble}, {@link #rawBoolean}</td>
 *       <td>{@code RawValue(…)}, {@code Value(…, lock=False)}</td></tr>
 * </table>
 *
 * A value made by an {@code of…} factory has a lock ({@code getLock()}, a re-entrant {@link RLock}
 * shared with every process, as in Python); a raw one has none. Either way reads, writes and the
 * atomic methods ({@code incrementAndGet}, {@code compareAndSet}…) never take the lock: each is one
 * atomic access; the lock is for compound updates. Each value is one shared-memory segment (and a
 * locked one a second, its lock's): close it when done, e.g. with try-with-resources.
 *
 * @see Array
 */
public final class Value {
    private Value() {
    }

    /** A shared {@code int} with a lock, Python's {@code Value('i', initial)}. */
    public static SharedInt ofInt(int initial) {
        return SharedInt.create(initial, true);
    }

    /** A shared {@code long} with a lock, Python's {@code Value('q', initial)}. */
    public static SharedLong ofLong(long initial) {
        return SharedLong.create(initial, true);
    }

    /** A shared {@code double} with a lock, Python's {@code Value('d', initial)}. */
    public static SharedDouble ofDouble(double initial) {
        return SharedDouble.create(initial, true);
    }

    /** A shared {@code boolean} with a lock, Python's {@code Value(ctypes.c_bool, initial)}. */
    public static SharedBoolean ofBoolean(boolean initial) {
        return SharedBoolean.create(initial, true);
    }

    /** A shared {@code int} without a lock, Python's {@code RawValue('i', initial)}. */
    public static SharedInt rawInt(int initial) {
        return SharedInt.create(initial, false);
    }

    /** A shared {@code long} without a lock, Python's {@code RawValue('q', initial)}. */
    public static SharedLong rawLong(long initial) {
        return SharedLong.create(initial, false);
    }

    /** A shared {@code double} without a lock, Python's {@code RawValue('d', initial)}. */
    public static SharedDouble rawDouble(double initial) {
        return SharedDouble.create(initial, false);
    }

    /** A shared {@code boolean} without a lock, Python's {@code RawValue(ctypes.c_bool, initial)}. */
    public static SharedBoolean rawBoolean(boolean initial) {
        return SharedBoolean.create(initial, false);
    }
}
