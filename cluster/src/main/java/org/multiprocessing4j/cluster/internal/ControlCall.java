package org.multiprocessing4j.cluster.internal;

import com.hazelcast.spi.exception.RetryableException;
import com.hazelcast.spi.exception.TargetDisconnectedException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The rule for a driver's message to a member through Hazelcast (a HELLO, OPEN, CANCEL, STOP, PIDS or
 * BYE) whose call got no answer: Hazelcast routes a call through another member while the client has no
 * connection of its own to the target (a member that has just joined is not in every member's list yet;
 * the member the call went through may be leaving), and such a call fails though its target is there,
 * and may even have taken the message. It is sent again, after a pause, while its target stays in the
 * cluster, each time sealed anew: a member takes each message of a session once, so the same envelope
 * sent again would be refused as a replay if the first had reached it. Every such message is one the
 * member takes twice as once (an OPEN of a pool it has, a STOP of a pool it stopped, a BYE of a session
 * it ended are answered, not done again).
 *
 * <p>An answer, whatever it says (a refusal too), is not sent again; neither is a call that failed any
 * other way: Hazelcast's client itself sends a call again while it fails with a "try again" exception,
 * until its invocation timeout, and then fails it as timed out (the last such exception its cause);
 * nor one that failed because the client closed.
 */
final class ControlCall {
    /** How long a call that got no answer waits before it is sent again, and how many are sent in all (10 s). */
    static final Duration PAUSE = Duration.ofMillis(200);
    static final int ATTEMPTS = 50;

    private ControlCall() {
    }

    /**
     * Sends a message sealed by {@code seal} with {@code send}, again after a pause while {@code send}'s
     * call gets {@linkplain #noAnswer no answer} and {@code stillThere} holds, at most {@code attempts}
     * times in all. Never blocks.
     *
     * @param seal the message, sealed anew for each attempt (called on the thread of the attempt); null
     *     once it is not to be sent any more
     * @param stillThere whether the target is still in the cluster (asked after each failed attempt)
     * @param later runs the next attempt after the pause ({@link #PAUSE}); once it refuses (its owner
     *     closed), nothing is sent again
     * @return the first answer; or the last attempt's error, or a {@link CancellationException} if
     *     {@code seal} gave nothing to send at once
     */
    static CompletableFuture<byte[]> call(Function<byte[], CompletableFuture<byte[]>> send, Supplier<byte[]> seal,
            BooleanSupplier stillThere, Executor later, int attempts) {
        return attempt(send, seal, stillThere, later, attempts, 1,
                new CancellationException("the message was not to be sent any more"));
    }

    private static CompletableFuture<byte[]> attempt(Function<byte[], CompletableFuture<byte[]>> send,
            Supplier<byte[]> seal, BooleanSupplier stillThere, Executor later, int attempts, int attempt, Throwable last) {
        byte[] sealed;
        try {
            sealed = seal.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (sealed == null) {
            return CompletableFuture.failedFuture(last);
        }
        return send.apply(sealed).handle((reply, error) -> {
            if (error == null) {
                return CompletableFuture.completedFuture(reply);
            }
            if (attempt >= attempts || !noAnswer(error) || !isThere(stillThere)) {
                return CompletableFuture.<byte[]>failedFuture(error);
            }
            try {
                return CompletableFuture.runAsync(() -> { }, later)
                        .thenCompose(x -> attempt(send, seal, stillThere, later, attempts, attempt + 1, error));
            } catch (RejectedExecutionException closed) {
                return CompletableFuture.<byte[]>failedFuture(error);
            }
        }).thenCompose(next -> next);
    }

    private static boolean isThere(BooleanSupplier stillThere) {
        try {
            return stillThere.getAsBoolean();
        } catch (RuntimeException closedMeanwhile) { // the client closed: nobody is asked any more
            return false;
        }
    }

    /**
     * Whether {@code error} (inside the {@link CompletionException}s and {@link ExecutionException}s that
     * carry it) says that the call got no answer though it might get one sent again: the connection the
     * call went on closed, or one of Hazelcast's "try again" exceptions. Not a timeout, whatever caused it.
     */
    static boolean noAnswer(Throwable error) {
        Throwable t = error;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t instanceof TargetDisconnectedException || t instanceof RetryableException;
    }
}
