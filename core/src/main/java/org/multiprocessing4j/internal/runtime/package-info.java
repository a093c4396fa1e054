/**
 * What one JVM of the library has for its whole life (CPython's {@code util.py}): its private runtime
 * directory ({@link org.multiprocessing4j.internal.runtime.RuntimeDir}), what a child inherited from its
 * parent ({@link org.multiprocessing4j.internal.runtime.ChildContext}), the start methods
 * ({@link org.multiprocessing4j.internal.runtime.StartMethod}), and the one ordered list of what runs when
 * the JVM exits or halts ({@link org.multiprocessing4j.internal.runtime.ExitActions}, the only shutdown
 * hook), and its random bytes ({@link org.multiprocessing4j.internal.runtime.Urandom}). A service that lives as long as the JVM registers its stop there.
 *
 * <p>May import: the JDK only (and {@code jdk.unsupported}'s {@code sun.misc.Signal}, in
 * {@code SignalHandlers} alone). Every other internal package may import it.
 */
package org.multiprocessing4j.internal.runtime;
