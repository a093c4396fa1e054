package org.multiprocessing4j;

/**
 * A process this JVM sees but does not control, as Python's {@code _MainProcess} and
 * {@code _ParentProcess} are: it cannot be started, terminated or killed from here
 * ({@link IllegalStateException}), and it has no exit code to give.
 */
abstract sealed class UncontrolledProcess extends Process permits MainProcess, ParentProcess {
    private static final long serialVersionUID = 1L;

    /** How the refusals name it, e.g. {@code the main process}. */
    private final String what;
    /** Where the refusals of terminate and kill say they come from, e.g. {@code from itself}. */
    private final String from;

    UncontrolledProcess(String name, long pid, String what, String from) {
        super(name, pid);
        this.what = what;
        this.from = from;
    }

    @Override
    public void start() {
        throw new IllegalStateException("cannot start " + what);
    }

    @Override
    public void terminate() {
        throw new IllegalStateException("cannot terminate " + what + " " + from);
    }

    @Override
    public void kill() {
        throw new IllegalStateException("cannot kill " + what + " " + from);
    }

    @Override
    public Integer exitCode() {
        return null;
    }
}
