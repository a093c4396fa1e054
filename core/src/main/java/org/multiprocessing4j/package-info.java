/**
 * Python's {@code multiprocessing} for Java: {@link org.multiprocessing4j.Process} runs a task in a child
 * JVM; later parts add pools, queues, pipes, locks, shared memory and managers.
 *
 * <p>Names follow CPython so that Python code ports line by line; {@code Process} shadows
 * {@link java.lang.Process} once imported. Everything that holds an OS resource is
 * {@link java.lang.AutoCloseable}. Exceptions are unchecked ({@link org.multiprocessing4j.ProcessError}
 * and its subclasses) except where a JDK interface declares a checked one.
 */
package org.multiprocessing4j;
