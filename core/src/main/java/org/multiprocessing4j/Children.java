package org.multiprocessing4j;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.multiprocessing4j.internal.launch.ChildProcess;

/**
 * This JVM's process state, the module globals of CPython's {@code process.py}: the process it runs as
 * ({@code _current_process}), the counter that names new processes ({@code _process_counter}) and the
 * children it started and has not yet seen end ({@code _children}). Thread-safe.
 */
final class Children {
    private static final AtomicInteger COUNTER = new AtomicInteger(1);
    private static final Set<Process> STARTED = ConcurrentHashMap.newKeySet();
    private static volatile Process current;

    private Children() {
    }

    /** The next number for a new process's identity. */
    static int nextCount() {
        return COUNTER.getAndIncrement();
    }

    /** The process this JVM runs as: the deserialized {@code Process} in a child, else the main process. */
    static Process current() {
        Process c = current;
        if (c == null) {
            synchronized (Children.class) {
                c = current;
                if (c == null) {
                    current = c = new MainProcess();
                }
            }
        }
        return c;
    }

    /** Whether {@code p} is the process this JVM runs as. */
    static boolean isCurrent(Process p) {
        return p == current;
    }

    /** In a child, before it runs: the deserialized process becomes this JVM's. */
    static void becomeCurrent(Process p) {
        current = p;
    }

    /** A child has been started. */
    static void add(Process p) {
        STARTED.add(p);
    }

    /** A child has been seen to end, or was closed. */
    static void remove(Process p) {
        STARTED.remove(p);
    }

    /** Live children started by this JVM; reaps those that have ended (Python's {@code active_children}). */
    static List<Process> active() {
        reap();
        return new ArrayList<>(STARTED);
    }

    /** Forgets the children that have ended. */
    static void reap() {
        // a loop, not removeIf(Children::ended): every start() calls this, and a method reference costs the
        // first start() of a new JVM a few milliseconds of method-handle set-up
        for (Process p : STARTED) {
            if (ended(p)) {
                STARTED.remove(p);
            }
        }
    }

    private static boolean ended(Process p) {
        ChildProcess popen = p.popen();
        return popen == null || popen.poll() != null;
    }

    /** The children not yet reaped, for the {@link Keeper}. */
    static Iterable<Process> started() {
        return STARTED;
    }
}
