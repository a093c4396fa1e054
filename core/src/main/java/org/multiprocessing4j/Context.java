package org.multiprocessing4j;

import java.util.Objects;
import org.multiprocessing4j.internal.runtime.StartMethod;

/**
 * A start method and the objects that use it, Python's {@code multiprocessing.get_context(method)}.
 * Obtain one from {@link Multiprocessing#getContext(String)}.
 *
 * <pre>{@code
 * Context ctx = Multiprocessing.getContext("spawn");
 * Process p = ctx.process(() -> System.out.println("hello"));
 * }</pre>
 */
public final class Context {
    private final StartMethod method;

    Context(StartMethod method) {
        this.method = method;
    }

    /** The start method of this context, e.g. {@code "spawn"}. */
    public String getStartMethod() {
        return method.pythonName();
    }

    /** A new process that will be started with this context's start method. */
    public Process process(SerializableRunnable target) {
        return process(target, null);
    }

    /** A new named process that will be started with this context's start method. */
    public Process process(SerializableRunnable target, String name) {
        Process p = new Process(Objects.requireNonNull(target, "target"), name);
        p.setStartMethod(method);
        return p;
    }

    /**
     * A pool of {@code processes} workers started with this context's start method, Python's
     * {@code ctx.Pool(processes)}; see {@link Pool.Builder#context(Context)}.
     *
     * @throws IllegalArgumentException if {@code processes} is less than 1
     */
    public Pool pool(int processes) {
        return Pool.builder().processes(processes).context(this).build();
    }

    @Override
    public String toString() {
        return "Context[" + method + "]";
    }
}
