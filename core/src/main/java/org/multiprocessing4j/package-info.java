/**
 * Python's {@code multiprocessing} for Java, every child a JVM of its own: {@link org.multiprocessing4j.Process},
 * {@link org.multiprocessing4j.Pool} (and {@link org.multiprocessing4j.ThreadPool}), the
 * {@link org.multiprocessing4j.Queue} family, {@link org.multiprocessing4j.Pipe} and
 * {@link org.multiprocessing4j.Connection} ({@link org.multiprocessing4j.Listener},
 * {@link org.multiprocessing4j.Client}), the locks and events of CPython's {@code synchronize}, shared
 * {@link org.multiprocessing4j.Value}s and {@link org.multiprocessing4j.Array}s,
 * {@link org.multiprocessing4j.SharedMemory}, and {@link org.multiprocessing4j.Manager}s.
 *
 * <p>Names follow CPython so that Python code ports line by line; {@code Process} shadows
 * {@link java.lang.Process} once imported. Everything that holds an OS resource is
 * {@link java.lang.AutoCloseable}. Exceptions are unchecked ({@link org.multiprocessing4j.ProcessError}
 * and its subclasses) except where a JDK interface declares a checked one.
 */
package org.multiprocessing4j;
