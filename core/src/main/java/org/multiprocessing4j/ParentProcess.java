package org.multiprocessing4j;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.multiprocessing4j.internal.wait.Deadline;

/**
 * The parent of a child JVM, as {@link Multiprocessing#parentProcess()} shows it (Python's
 * {@code _ParentProcess}): its pid and name, whether it is alive, and a way to wait for its end. It
 * cannot be started, terminated or killed from the child.
 */
final class ParentProcess extends UncontrolledProcess {
    private static final long serialVersionUID = 1L;
    private final long pid;

    ParentProcess(String name, long pid) {
        super(name, pid, "the parent process", "from a child");
        this.pid = pid;
    }

    @Override
    public Long pid() {
        return pid;
    }

    @Override
    public boolean isAlive() {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    @Override
    public void join() {
        await(-1);
    }

    @Override
    public boolean join(Duration timeout) {
        return await(Deadline.nanos(timeout));
    }

    private boolean await(long nanos) {
        CompletableFuture<ProcessHandle> exit = ProcessHandle.of(pid)
                .map(ProcessHandle::onExit).orElse(CompletableFuture.completedFuture(null));
        try {
            if (nanos < 0) {
                exit.get();
            } else {
                exit.get(nanos, TimeUnit.NANOSECONDS);
            }
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            throw ProcessError.interrupted("join", e);
        } catch (ExecutionException e) {
            return true;
        }
    }

    @Override
    public void setDaemon(boolean daemon) {
        throw new IllegalStateException("cannot change the parent process");
    }

    @Override
    public String toString() {
        return "<ParentProcess name='" + name() + "' pid=" + pid + ">";
    }
}
