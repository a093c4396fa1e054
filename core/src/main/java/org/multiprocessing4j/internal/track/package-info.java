/**
 * The resource tracker (CPython's {@code resource_tracker.py}): the shared-memory segments a process tree
 * created and did not unlink are unlinked when the tree is gone.
 *
 * <p>May import: {@code runtime}. Nothing of the public package.
 */
package org.multiprocessing4j.internal.track;
