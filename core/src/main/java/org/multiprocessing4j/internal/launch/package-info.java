/**
 * Starting a child JVM and watching it (CPython's {@code spawn.py}, {@code popen_spawn_posix.py},
 * {@code popen_forkserver.py}): the command line ({@link org.multiprocessing4j.internal.launch.JavaCommand}),
 * the bootstrap on the child's stdin ({@link org.multiprocessing4j.internal.launch.Bootstrap}), the
 * lifeline that ends a child with its parent, the class-data archive, and the child's entry point
 * ({@link org.multiprocessing4j.internal.launch.ChildMain}).
 *
 * <p>May import: {@code codec}, {@code runtime}, {@code track}. Of the public package: the
 * {@code SerializableRunnable} a warm-up round-trips, and {@code Process} through
 * {@link org.multiprocessing4j.internal.launch.ProcessBridge} alone, the one hand-off by which a child's
 * entry point runs the {@code Process} it was given (the JDK's SharedSecrets pattern).
 */
package org.multiprocessing4j.internal.launch;
