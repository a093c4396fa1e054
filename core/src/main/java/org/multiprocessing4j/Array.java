package org.multiprocessing4j;

import java.util.function.IntFunction;

/**
 * Fixed-length typed arrays in shared memory, Python's {@code multiprocessing.Array} and {@code RawArray}:
 *
 * <pre>{@code
 * try (SharedIntArray squares = Array.ofInts(10)) {    // Array('i', 10): ten zeros
 *     Process p = new Process(() -> {
 *         for (int i = 0; i < squares.length(); i++) {
 *             squares.set(i, i * i);
 *         }
 *     });
 *     p.start();
 *     p.join();
 *     System.out.println(Arrays.toString(squares.toArray()));   // print(squares[:])
 * }
 * }</pre>
 *
 * <p><b>Length or values.</b> As in Python, where {@code Array('i', 5)} is five zeros and
 * {@code Array('i', [5])} is one five, each type has two factories, and Java's overload resolution
 * picks between them by the arguments' static types:
 * <ul>
 *   <li>one argument of type {@code int} (or {@code short}, {@code char}, {@code byte}, or an
 *       {@code Integer}) is the <em>length</em>: {@code ofInts(5)}, {@code ofLongs(5)}, {@code ofDoubles(5)}
 *       and {@code ofBytes(5)} are each five zeros;
 *   <li>anything else is the <em>values</em>: two or more arguments ({@code ofInts(1, 2, 3)}), none
 *       ({@code ofInts()}, an empty array), an array ({@code ofInts(new int[] {5})}, one five), or one
 *       argument of the element type that is not an {@code int}: {@code ofLongs(5L)} and
 *       {@code ofDoubles(5.0)} are one element each.
 * </ul>
 * Beware the single argument: {@code ofLongs(5)} is five zeros but {@code ofLongs(5L)} is {@code [5]},
 * and {@code ofBytes(b)} with a {@code byte} variable {@code b} is {@code b} zeros; pass an array to
 * make one element unambiguous. Every factory given a length throws {@link IllegalArgumentException}
 * if it is negative or too large for one segment.
 *
 * <table>
 *   <caption>Factories and their Python counterparts</caption>
 *   <tr><th>Java</th><th>Python</th><th>elements</th></tr>
 *   <tr><td>{@link #ofInts(int)}, {@link #ofInts(int...)}</td><td>{@code Array('i', …)}</td><td>{@link SharedIntArray}</td></tr>
 *   <tr><td>{@link #ofLongs(int)}, {@link #ofLongs(long...)}</td><td>{@code Array('q', …)}</td><td>{@link SharedLongArray}</td></tr>
 *   <tr><td>{@link #ofDoubles(int)}, {@link #ofDoubles(double...)}</td><td>{@code Array('d', …)}</td><td>{@link SharedDoubleArray}</td></tr>
 *   <tr><td>{@link #ofBytes(int)}, {@link #ofBytes(byte...)}</td><td>{@code Array('b', …)}, {@code Array('c', …)}</td><td>{@link SharedByteArray}</td></tr>
 *   <tr><td>{@code raw…} of each</td><td>{@code RawArray(…)}, {@code Array(…, lock=False)}</td><td>the same, without a lock</td></tr>
 * </table>
 *
 * An array made by an {@code of…} factory has a lock ({@code getLock()}, a re-entrant {@link RLock}
 * shared with every process); a raw one has none. Either way element reads, writes and the atomic
 * methods never take the lock: each is one atomic access; the lock is for updates that span several
 * accesses. Each array is one shared-memory segment (and a locked one a second, its lock's) of at
 * most 2 GiB: close it when done, e.g. with try-with-resources.
 *
 * @see Value
 */
public final class Array {
    private Array() {
    }

    /**
     * {@code length} zeros, with a lock: Python's {@code Array('i', length)}.
     *
     * @throws IllegalArgumentException if {@code length} is negative or too large for one segment
     */
    public static SharedIntArray ofInts(int length) {
        return SharedIntArray.create(length, true);
    }

    /**
     * A copy of {@code values}, with a lock: Python's {@code Array('i', [values])}. A single {@code int}
     * argument calls {@link #ofInts(int)} instead (see the class comment).
     */
    public static SharedIntArray ofInts(int... values) {
        return SharedIntArray.create(values, true);
    }

    /** {@code length} zeros, with a lock: Python's {@code Array('q', length)}. */
    public static SharedLongArray ofLongs(int length) {
        return SharedLongArray.create(length, true);
    }

    /**
     * A copy of {@code values}, with a lock: Python's {@code Array('q', [values])}. A single {@code int}
     * argument calls {@link #ofLongs(int)} instead: {@code ofLongs(5)} is five zeros, {@code ofLongs(5L)} is {@code [5]}.
     */
    public static SharedLongArray ofLongs(long... values) {
        return SharedLongArray.create(values, true);
    }

    /** {@code length} zeros, with a lock: Python's {@code Array('d', length)}. */
    public static SharedDoubleArray ofDoubles(int length) {
        return SharedDoubleArray.create(length, true);
    }

    /**
     * A copy of {@code values}, with a lock: Python's {@code Array('d', [values])}. A single {@code int}
     * argument calls {@link #ofDoubles(int)} instead: {@code ofDoubles(5)} is five zeros, {@code ofDoubles(5.0)} is {@code [5.0]}.
     */
    public static SharedDoubleArray ofDoubles(double... values) {
        return SharedDoubleArray.create(values, true);
    }

    /** {@code length} zeros, with a lock: Python's {@code Array('b', length)}. */
    public static SharedByteArray ofBytes(int length) {
        return SharedByteArray.create(length, true);
    }

    /**
     * A copy of {@code values}, with a lock: Python's {@code Array('b', [values])} or
     * {@code Array('c', b"...")} ({@code ofBytes("...".getBytes(UTF_8))}). A single argument (even a
     * {@code byte}) calls {@link #ofBytes(int)} instead: pass an array for one element.
     */
    public static SharedByteArray ofBytes(byte... values) {
        return SharedByteArray.create(values, true);
    }

    /** {@code length} zeros, without a lock: Python's {@code RawArray('i', length)}. */
    public static SharedIntArray rawInts(int length) {
        return SharedIntArray.create(length, false);
    }

    /** A copy of {@code values}, without a lock; a single {@code int} argument calls {@link #rawInts(int)}. */
    public static SharedIntArray rawInts(int... values) {
        return SharedIntArray.create(values, false);
    }

    /** {@code length} zeros, without a lock: Python's {@code RawArray('q', length)}. */
    public static SharedLongArray rawLongs(int length) {
        return SharedLongArray.create(length, false);
    }

    /** A copy of {@code values}, without a lock; a single {@code int} argument calls {@link #rawLongs(int)}. */
    public static SharedLongArray rawLongs(long... values) {
        return SharedLongArray.create(values, false);
    }

    /** {@code length} zeros, without a lock: Python's {@code RawArray('d', length)}. */
    public static SharedDoubleArray rawDoubles(int length) {
        return SharedDoubleArray.create(length, false);
    }

    /** A copy of {@code values}, without a lock; a single {@code int} argument calls {@link #rawDoubles(int)}. */
    public static SharedDoubleArray rawDoubles(double... values) {
        return SharedDoubleArray.create(values, false);
    }

    /** {@code length} zeros, without a lock: Python's {@code RawArray('b', length)}. */
    public static SharedByteArray rawBytes(int length) {
        return SharedByteArray.create(length, false);
    }

    /** A copy of {@code values}, without a lock; a single argument calls {@link #rawBytes(int)}. */
    public static SharedByteArray rawBytes(byte... values) {
        return SharedByteArray.create(values, false);
    }

    /** How many elements toString shows. */
    static final int SHOWN = 100;

    /** {@code [0, 1, 4]}, or the first {@link #SHOWN} elements then {@code , ...] (1000 elements)}. */
    static String show(int length, IntFunction<String> element) {
        StringBuilder s = new StringBuilder("[");
        for (int i = 0; i < Math.min(length, SHOWN); i++) {
            if (i > 0) {
                s.append(", ");
            }
            s.append(element.apply(i));
        }
        if (length > SHOWN) {
            return s.append(", ...] (").append(length).append(" elements)").toString();
        }
        return s.append(']').toString();
    }
}
