package org.multiprocessing4j;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.multiprocessing4j.internal.wait.Deadline;

/**
 * The result of work handed to a {@link Pool}, Python's {@code AsyncResult}, and a {@link Future}.
 *
 * <p>{@link #get()} waits and follows {@code Future}: a task's exception is the cause of an
 * {@link ExecutionException} (a worker that died: {@link WorkerLostException}; a deadline that passed:
 * {@link TimeoutException}); a cancelled or terminated task throws {@link CancellationException}.
 * {@link #get(Duration)} throws {@link TimeoutException} when the wait is over and leaves the task
 * running. {@link #cancel(boolean)} drops a task still queued, and with {@code true} kills the worker
 * running it (the pool replaces the worker).
 *
 * @param <T> the type of the result
 */
public class AsyncResult<T> implements Future<T> {
    private final CompletableFuture<T> future = new CompletableFuture<>();
    private final Consumer<Boolean> canceller;

    /** @param canceller stops the work behind the result: {@link #cancelWork}, unless that is overridden */
    AsyncResult(Consumer<Boolean> canceller) {
        this.canceller = canceller;
    }

    /** Stops the work behind the result: drops it if queued; with {@code kill}, kills the worker running it. */
    void cancelWork(boolean kill) {
        canceller.accept(kill);
    }

    void complete(T value) {
        future.complete(value);
    }

    /** A {@link CancellationException} makes it cancelled, as {@code CompletableFuture} does. */
    void fail(Throwable error) {
        future.completeExceptionally(error);
    }

    CompletableFuture<T> future() {
        return future;
    }

    /** Waits for the result. */
    @Override
    public T get() throws InterruptedException, ExecutionException {
        return future.get();
    }

    /**
     * Waits up to {@code timeout} (not null; negative is zero) for the result.
     *
     * @throws TimeoutException if it is not ready in time; the task goes on
     */
    public T get(Duration timeout) throws InterruptedException, ExecutionException, TimeoutException {
        return future.get(Deadline.nanos(timeout), TimeUnit.NANOSECONDS);
    }

    @Override
    public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        return future.get(timeout, unit);
    }

    /** Whether the task has finished, one way or another (Python's {@code ready()}). */
    public boolean ready() {
        return future.isDone();
    }

    /**
     * Whether the task finished without an exception (Python's {@code successful()}).
     *
     * @throws IllegalStateException if it has not finished yet, as in Python
     */
    public boolean successful() {
        if (!future.isDone()) {
            throw new IllegalStateException("the result is not ready");
        }
        return !future.isCompletedExceptionally();
    }

    /**
     * Waits up to {@code timeout} (not null; negative is zero) for the task to finish (Python's
     * {@code wait(timeout)}).
     *
     * @return whether it has finished
     * @throws ProcessError if interrupted (the interrupt flag is restored)
     */
    public boolean await(Duration timeout) {
        try {
            future.get(Deadline.nanos(timeout), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            throw ProcessError.interrupted("await", e);
        } catch (ExecutionException | CancellationException | TimeoutException e) {
            // finished with an error, or not yet: ready() tells
        }
        return future.isDone();
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        if (future.isDone()) {
            return false;
        }
        cancelWork(mayInterruptIfRunning);
        return future.cancel(mayInterruptIfRunning);
    }

    @Override
    public boolean isCancelled() {
        return future.isCancelled();
    }

    @Override
    public boolean isDone() {
        return future.isDone();
    }

    @Override
    public String toString() {
        return "<AsyncResult " + (!future.isDone() ? "pending" : future.isCancelled() ? "cancelled"
                : future.isCompletedExceptionally() ? "failed" : "ready") + ">";
    }

    /** The value, or the task's exception thrown as {@link Pool#apply} documents. */
    T join() {
        try {
            return future.get();
        } catch (InterruptedException e) {
            throw ProcessError.interrupted("waiting for the pool", e);
        } catch (ExecutionException e) {
            throw rethrowable(e.getCause());
        }
    }

    /** A task's exception as the caller of apply/map gets it: unchecked as itself, checked wrapped. */
    static RuntimeException rethrowable(Throwable cause) {
        if (cause instanceof RuntimeException r) {
            return r;
        }
        if (cause instanceof Error err) {
            throw err;
        }
        return new RemoteException(cause);
    }
}
