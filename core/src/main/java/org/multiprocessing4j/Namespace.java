package org.multiprocessing4j;

import java.util.NoSuchElementException;

/**
 * A bag of named values shared by processes through a {@link Manager} (Python's {@code Namespace} from
 * {@code Manager().Namespace()}): {@code ns.set("x", 1)} where Python writes {@code ns.x = 1}.
 * {@code toString()} shows every value, {@code Namespace(a=1, b=2)}, in the order the names were first set.
 *
 * <p>Values travel by value: {@code get} returns a copy, and changing that copy changes nothing shared
 * (as in Python, {@code ns.list.append(x)} is lost; store a managed {@code list()} instead, which stays
 * live). Every call is one round trip to the manager, and atomic.
 */
public interface Namespace {
    /** Sets {@code name} to {@code value} (which may be null). */
    void set(String name, Object value);

    /**
     * The value of {@code name}.
     *
     * @throws NoSuchElementException if it was never set (Python's {@code AttributeError})
     */
    Object get(String name);

    /** The value of {@code name}, or {@code defaultValue} if it was never set (Python's {@code getattr(ns, name, default)}). */
    Object get(String name, Object defaultValue);

    /**
     * Removes {@code name} and returns the value it had.
     *
     * @throws NoSuchElementException if it was never set
     */
    Object remove(String name);
}
