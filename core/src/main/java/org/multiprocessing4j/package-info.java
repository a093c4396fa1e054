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
 *
 * <p>One error policy, in every class:
 * <ul>
 * <li>{@link org.multiprocessing4j.ProcessError}, or a subclass, when something outside the caller's
 *     control is gone or failed: a peer closed its end or died ({@link org.multiprocessing4j.EOFError}),
 *     the process serving a queue, a manager or a pool is gone, a child could not start, a blocking call
 *     was interrupted (the cause is the {@link java.lang.InterruptedException}, the flag restored).</li>
 * <li>{@link java.lang.IllegalStateException} only for the caller's misuse: a handle used after this
 *     process closed it (Python's {@code OSError: handle is closed}), a process started twice, a lock
 *     released that is not held, {@code taskDone()} called once too often.</li>
 * <li>{@link java.lang.IllegalArgumentException} for a bad argument (Python's {@code ValueError}).</li>
 * </ul>
 *
 * <p>Timeouts are {@link java.time.Duration}s. {@code Duration.ZERO} does not wait: the call tries once.
 * Null, where a method accepts it (its Javadoc says so), waits for ever. A negative timeout counts as
 * zero, except in the locks, semaphores, events, conditions and barriers, which refuse it with
 * {@link java.lang.IllegalArgumentException}.
 */
package org.multiprocessing4j;
