/**
 * How a thread waits (Agrona's idle strategies, and the deadlines every timeout becomes): one
 * {@link org.multiprocessing4j.internal.wait.IdleStrategy} (spin, then yield, then park) with the named
 * instances the library uses, and {@link org.multiprocessing4j.internal.wait.Deadline}, an instant of
 * {@code System.nanoTime()} or never, the one internal form of a timeout. Public signatures keep their
 * {@code Duration}s; they become a deadline at the edge, once.
 *
 * <p>May import: the JDK only.
 */
package org.multiprocessing4j.internal.wait;
