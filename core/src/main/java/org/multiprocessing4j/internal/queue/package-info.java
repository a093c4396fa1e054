/**
 * Queues between processes (CPython's {@code queues.py}): the JVM that creates a queue serves it
 * ({@link org.multiprocessing4j.internal.queue.QueueServer},
 * {@link org.multiprocessing4j.internal.queue.ServedQueue}); other processes send requests
 * ({@link org.multiprocessing4j.internal.queue.QueueProtocol}) or stream their puts through a feeder
 * ({@link org.multiprocessing4j.internal.queue.Feeder}, Python's feeder thread).
 *
 * <p>May import: {@code codec}, {@code wire}, {@code runtime}, {@code launch}, {@code wait}. Of the public
 * package only the exceptions of its error vocabulary.
 */
package org.multiprocessing4j.internal.queue;
