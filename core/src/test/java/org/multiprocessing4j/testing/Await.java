package org.multiprocessing4j.testing;

import java.time.Duration;
import java.util.Arrays;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waiting in tests for a condition, not for a clock: {@link #until} polls the condition with a short
 * pause and fails with a message that names what was awaited when the deadline passes. A slow machine
 * only makes the wait longer; it cannot make a test pass without the condition having held.
 */
public final class Await {
    private static final long PAUSE_MILLIS = 5;

    private Await() {
    }

    /**
     * Returns as soon as {@code condition} is true; throws {@link AssertionError} naming
     * {@code whatIsAwaited} if it is still false after {@code timeout}. The condition is looked at once
     * more at the deadline.
     */
    public static void until(Duration timeout, BooleanSupplier condition, Supplier<String> whatIsAwaited) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline >= 0) {
                if (condition.getAsBoolean()) {
                    return;
                }
                throw new AssertionError("timed out after " + timeout + " waiting for " + whatIsAwaited.get());
            }
            try {
                Thread.sleep(PAUSE_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + whatIsAwaited.get(), e);
            }
        }
    }

    /** {@link #until} with a fixed message. */
    public static void until(Duration timeout, BooleanSupplier condition, String whatIsAwaited) {
        until(timeout, condition, () -> whatIsAwaited);
    }

    /**
     * Whether {@code thread} is parked (waiting, timed waiting or blocked on a monitor) with a frame of a
     * method named {@code method} on its stack: how a test sees that a thread of its own JVM has entered a
     * blocking call and not yet returned from it.
     */
    public static boolean isBlockedIn(Thread thread, String method) {
        Thread.State s = thread.getState();
        if (s != Thread.State.WAITING && s != Thread.State.TIMED_WAITING && s != Thread.State.BLOCKED
                && s != Thread.State.RUNNABLE) {
            return false;
        }
        return Arrays.stream(thread.getStackTrace()).anyMatch(f -> f.getMethodName().equals(method))
                && (s != Thread.State.RUNNABLE || inNativeRead(thread));
    }

    private static boolean inNativeRead(Thread thread) {
        StackTraceElement[] stack = thread.getStackTrace();
        return stack.length > 0 && stack[0].isNativeMethod();
    }

    /**
     * How many live threads of this JVM are parked (waiting or timed waiting) in a method named
     * {@code method} of a class whose name starts with {@code classPrefix}: how a test sees that a server
     * in this JVM has taken up a request from another process and waits on its behalf.
     */
    public static long threadsParkedIn(String classPrefix, String method) {
        return Thread.getAllStackTraces().entrySet().stream()
                .filter(e -> e.getKey().getState() == Thread.State.WAITING
                        || e.getKey().getState() == Thread.State.TIMED_WAITING)
                .filter(e -> Arrays.stream(e.getValue())
                        .anyMatch(f -> f.getClassName().startsWith(classPrefix) && f.getMethodName().equals(method)))
                .count();
    }
}
