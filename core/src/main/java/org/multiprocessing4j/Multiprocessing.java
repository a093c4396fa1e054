package org.multiprocessing4j;

import java.util.List;
import java.util.Objects;
import org.multiprocessing4j.internal.launch.Launcher;
import org.multiprocessing4j.internal.runtime.ChildContext;
import org.multiprocessing4j.internal.runtime.StartMethod;

/**
 * The module-level functions of Python's {@code multiprocessing}: who am I, who is my parent, which
 * children are alive, how many CPUs, and which start method.
 */
public final class Multiprocessing {
    /** The system property that chooses the default start method of a program. */
    public static final String START_METHOD_PROPERTY = "multiprocessing4j.startMethod";
    private static final Object LOCK = new Object();
    private static String startMethod; // guarded by LOCK; null until fixed

    private Multiprocessing() {
    }

    /**
     * The process this code runs in: in a child, the {@link Process} object that was started (its
     * {@code name()}, {@code pid()}, {@code isDaemon()}); in the JVM the user started, a process named
     * {@code MainProcess}. It cannot be started, terminated or killed from here
     * ({@link IllegalStateException}), and its {@code exitCode()} is null.
     */
    public static Process currentProcess() {
        return Children.current();
    }

    /**
     * The parent of this process ({@code pid()}, {@code name()}, {@code isAlive()},
     * {@code join(Duration)}), or null in the main process. It cannot be started, terminated or killed
     * from here ({@link IllegalStateException}), and its {@code exitCode()} is null.
     */
    public static Process parentProcess() {
        if (!ChildContext.isChild()) {
            return null;
        }
        return new ParentProcess(ChildContext.parentName(), ChildContext.parentPid());
    }

    /** The children of this process that are still alive. Children that have ended are reaped. */
    public static List<Process> activeChildren() {
        return Children.active();
    }

    /** The number of CPUs this JVM may use; honours container and affinity limits. */
    public static int cpuCount() {
        return Runtime.getRuntime().availableProcessors();
    }

    /**
     * A context for a start method; null gives the default.
     * <ul>
     *   <li>{@code "spawn"}, the default: a fresh JVM is started for each process at {@code start()}.</li>
     *   <li>{@code "forkserver"}: a spare JVM, started and warmed in advance, takes the process at
     *       {@code start()} and a new spare is started in the background ({@code multiprocessing4j.spares},
     *       default 2). Each process still has a JVM of its own; starting is several times faster, at the
     *       cost of the idle spares' memory. Choosing it starts the spares.</li>
     * </ul>
     *
     * @throws IllegalArgumentException for a start method this build does not have
     */
    public static Context getContext(String method) {
        StartMethod m = StartMethod.of(method == null ? getStartMethod() : checkMethod(method));
        Launcher.forMethod(m).prepare();
        return new Context(m);
    }

    /**
     * Sets the start method for the whole JVM, once, as Python does.
     *
     * @throws IllegalStateException if it has been set (or fixed by {@link #getStartMethod()}) before
     * @throws IllegalArgumentException for a start method this build does not have
     */
    public static void setStartMethod(String method) {
        setStartMethod(method, false);
    }

    /**
     * Sets the start method; with {@code force} it may be changed again (null with force unsets it).
     *
     * @throws IllegalStateException if set before and not forced
     * @throws IllegalArgumentException for a start method this build does not have
     */
    public static void setStartMethod(String method, boolean force) {
        String chosen;
        synchronized (LOCK) {
            if (startMethod != null && !force) {
                throw new IllegalStateException("context has already been set");
            }
            if (method == null && force) {
                startMethod = null;
                return;
            }
            chosen = startMethod = checkMethod(Objects.requireNonNull(method, "method"));
        }
        Launcher.forMethod(StartMethod.of(chosen)).prepare();
    }

    /**
     * The start method processes use. If none was set, this fixes the default: the parent's method in a
     * child, else the system property {@code multiprocessing4j.startMethod}, else {@code "spawn"}.
     */
    public static String getStartMethod() {
        synchronized (LOCK) {
            if (startMethod == null) {
                StartMethod inherited = ChildContext.startMethod();
                String configured = System.getProperty(START_METHOD_PROPERTY);
                startMethod = inherited != null ? inherited.pythonName()
                        : configured != null ? checkMethod(configured) : StartMethod.names().get(0);
            }
            return startMethod;
        }
    }

    /** The start methods this build supports, the default first. */
    public static List<String> getAllStartMethods() {
        return StartMethod.names();
    }

    /**
     * Sets a filter that every object this process deserializes must pass (what a {@link Connection},
     * a {@link Queue}, a {@link Pool} or a manager receives, a child's target): it is consulted in
     * addition to the library's limits, the system property {@code multiprocessing4j.serialFilter} and
     * the JVM-wide {@code jdk.serialFilter}, and any of them can reject. It applies in this JVM only; to
     * filter in the children too, use the property, which they inherit. Null removes it. A rejected
     * object fails the call that receives it ({@link ProcessError} from {@code Connection.recv}), and the
     * message is consumed.
     */
    public static void setSerialFilter(java.io.ObjectInputFilter filter) {
        org.multiprocessing4j.internal.codec.SerialFilter.setUserFilter(filter);
    }

    /** The name of a start method this build has, else the Python-like error naming those it has. */
    private static String checkMethod(String method) {
        try {
            return StartMethod.of(method).pythonName();
        } catch (IllegalArgumentException unknown) {
            String hint = method.equals("fork") ? ": a JVM cannot fork; use 'spawn'" : "";
            throw new IllegalArgumentException("cannot find context for '" + method + "'" + hint
                    + " (available: " + StartMethod.names() + ")");
        }
    }
}
