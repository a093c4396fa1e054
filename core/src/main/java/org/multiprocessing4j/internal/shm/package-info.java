/**
 * Named shared memory (CPython's {@code shared_memory.py} and {@code sharedctypes.py}): POSIX segments
 * under {@code /dev/shm} ({@link org.multiprocessing4j.internal.shm.Segment}), the layouts of a shared
 * value, array and list, each written down in one class, and ordered access to them
 * ({@link org.multiprocessing4j.internal.shm.Ordered}: the memory ordering is in the method's name).
 *
 * <p>May import: {@code track} (a created segment is registered) and {@code runtime} (random names).
 * Nothing of the public package.
 */
package org.multiprocessing4j.internal.shm;
