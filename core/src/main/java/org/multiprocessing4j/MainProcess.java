package org.multiprocessing4j;

/**
 * The JVM the user started, as {@link Multiprocessing#currentProcess()} shows it there: named
 * {@code MainProcess}, never daemonic, always alive. It cannot be started, joined or killed.
 */
final class MainProcess extends UncontrolledProcess {
    private static final long serialVersionUID = 1L;

    MainProcess() {
        super("MainProcess", ProcessHandle.current().pid(), "the main process", "from itself");
    }

    @Override
    public void setDaemon(boolean daemon) {
        throw new IllegalStateException("the main process cannot be made daemonic");
    }
}
