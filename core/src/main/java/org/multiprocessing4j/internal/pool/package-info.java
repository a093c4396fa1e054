/**
 * What runs a {@code Pool}'s tasks (CPython's {@code pool.py}): worker processes
 * ({@link org.multiprocessing4j.internal.pool.PoolEngine}: their start, connection and healing in
 * {@link org.multiprocessing4j.internal.pool.WorkerHandler}, the tasks' windows and deadlines in
 * {@link org.multiprocessing4j.internal.pool.Dispatcher}, every byte on a worker's pipe in
 * {@link org.multiprocessing4j.internal.pool.PoolWire}, the worker's loop in
 * {@link org.multiprocessing4j.internal.pool.WorkerMain}), or threads
 * ({@link org.multiprocessing4j.internal.pool.ThreadEngine}). For the cluster module (its only reader
 * outside the public package): a worker's loop over another JVM's connection
 * ({@link org.multiprocessing4j.internal.pool.WorkerMain#serve}), the messages its driver sends and reads
 * ({@link org.multiprocessing4j.internal.pool.RemoteWorkers}), and a public {@code Pool} on another engine
 * ({@link org.multiprocessing4j.internal.pool.PoolAccess}).
 *
 * <p>May import: {@code codec}, {@code wire}, {@code runtime}, {@code launch}, {@code wait}. Of the public
 * package: a worker is a {@code Process}, as in CPython's {@code pool.py}; the user's function types
 * ({@code TaskFunction}, {@code SerializableRunnable}); and the exceptions of its error vocabulary
 * ({@code WorkerLostException} among them).
 */
package org.multiprocessing4j.internal.pool;
