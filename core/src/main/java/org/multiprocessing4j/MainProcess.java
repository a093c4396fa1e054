package org.multiprocessing4j;

/**
 * The JVM the user started, as {@link Multiprocessing#currentProcess()} shows it there: named
 * {@code MainProcess}, never daemonic, always alive. It cannot be started, joined or killed.
 */
final class MainProcess extends Process {
    private static final long serialVersionUID = 1L;

    MainProcess() {
        super("MainProcess", ProcessHandle.current().pid());
    }

    @Override
    public void start() {
        throw new IllegalStateException("cannot start the main process");
    }

    @Override
    public void terminate() {
        throw new IllegalStateException("cannot terminate the main process from itself");
    }

    @Override
    public void kill() {
        throw new IllegalStateException("cannot kill the main process from itself");
    }

    @Override
    public Integer exitCode() {
        return null;
    }

    @Override
    public void setDaemon(boolean daemon) {
        throw new IllegalStateException("the main process cannot be made daemonic");
    }
}
