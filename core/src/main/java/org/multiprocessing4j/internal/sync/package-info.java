/**
 * Locks, semaphores, events, conditions and barriers that work across processes (CPython's
 * {@code synchronize.py} and its C {@code SemLock}): their state is a shared-memory segment laid out in
 * {@link org.multiprocessing4j.internal.sync.SyncLayout}; a waiting thread spins, then sleeps until another
 * process rings its JVM's {@link org.multiprocessing4j.internal.sync.Doorbell}.
 *
 * <p>May import: {@code shm}, {@code runtime}, {@code wait}. Nothing of the public package.
 */
package org.multiprocessing4j.internal.sync;
