package org.multiprocessing4j.internal.launch;

import org.multiprocessing4j.internal.runtime.StartMethod;

/**
 * How the internal packages reach into {@code org.multiprocessing4j} for what {@code Process} does not
 * make API (the JDK's SharedSecrets pattern): the child's entry point ({@link #runChild}), a spare's
 * warm-up, what a pool needs of its workers (stderr tail, exit status, start method), and this
 * process's authkey. {@code Process} registers the one instance in its static initializer.
 */
public abstract class ProcessBridge {
    private static volatile ProcessBridge instance;

    protected ProcessBridge() {
    }

    public static void register(ProcessBridge bridge) {
        synchronized (ProcessBridge.class) {
            if (instance != null) {
                throw new IllegalStateException("ProcessBridge already registered");
            }
            instance = bridge;
        }
    }

    static ProcessBridge get() {
        ProcessBridge b = instance;
        if (b == null) {
            try {
                Class.forName("org.multiprocessing4j.Process", true, ProcessBridge.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
            b = instance;
        }
        return b;
    }

    /**
     * Runs a deserialized {@code Process} as this JVM's current process, Python's
     * {@code BaseProcess._bootstrap}: its {@code run()}, the exit function (terminate the daemonic
     * children, join the others), the report of an uncaught exception, then the wait for the non-daemon
     * threads it started.
     *
     * @return the exit code the child JVM should exit with
     */
    public abstract int runChild(Object process);

    /**
     * In a spare JVM (the {@code forkserver} method) while it waits for its task, after launch's own
     * warm-up: compiles the code a task may run first, so that a spare that becomes a pool worker
     * starts its work compiled. Never throws.
     */
    public abstract void warmUpSpare();

    /**
     * In the training run of the children's AOT cache, after a spare's warm-up: what a child does with
     * its parent's queues, so that the cache holds it (see {@link AotTraining}). Never throws.
     */
    public abstract void trainQueues();

    /** Before {@code start()}: the child's stderr goes through a pipe whose tail is kept (see {@link StderrTail}). */
    public static void pipeStderr(org.multiprocessing4j.Process process) {
        get().captureStderr(process);
    }

    /** What a child started with {@link #pipeStderr} last wrote to stderr ("" if nothing, or not piped). */
    public static String lastStderr(org.multiprocessing4j.Process process) {
        return get().stderrTail(process);
    }

    /**
     * Before {@code start()}: if it cannot start, its caller says so (a pool, which fails its work), so
     * no warning is logged for it.
     */
    public static void reportStartFailureByCaller(org.multiprocessing4j.Process process) {
        get().quietStartFailure(process);
    }

    /**
     * The exit code, null while it runs; unlike {@code exitCode()} it does not throw for a process that
     * could not start.
     */
    public static Integer exitStatus(org.multiprocessing4j.Process process) {
        return get().status(process);
    }

    /** Before {@code start()}: start it with {@code method}, whatever the default then is. */
    public static void setStartMethod(org.multiprocessing4j.Process process, StartMethod method) {
        get().startMethod(process, method);
    }

    protected abstract void captureStderr(Object process);

    protected abstract void startMethod(Object process, StartMethod method);

    protected abstract void quietStartFailure(Object process);

    protected abstract Integer status(Object process);

    protected abstract String stderrTail(Object process);

    /** This process's authkey (Python's {@code current_process().authkey}): inherited, or made at first use. */
    public static byte[] authkey() {
        return get().processAuthkey();
    }

    protected abstract byte[] processAuthkey();
}
