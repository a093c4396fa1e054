package org.multiprocessing4j.cluster.internal;

import com.hazelcast.spi.exception.RetryableException;
import com.hazelcast.spi.exception.TargetDisconnectedException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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
 * other way (it timed out, or the client closed).
 */
final class ControlCall {
    /** How long a call that got no answer waits before it is sent again, and how many are sent in all. */
    static final Duration PAUSE = Duration.ofMillis(200);
    static final int ATTEMPTS = 50;

    private ControlCall() {
    }

    /**
     * Sends a message sealed by {@code seal} with {@code send}, again after {@code pause} while
     * {@code send}'s call gets {@linkplain #noAnswer no answer} and {@code stillThere} holds, at most
     * {@code attempts} times in all. Never blocks.
     *
     * @param seal the message, sealed anew for each attempt (called on the thread of the attempt); null
     *     once it is not to be sent any more
     * @param stillThere whether the target is still in the cluster (asked after each failed attempt)
     * @return the first answer; or the last attempt's error, or a {@link CancellationException} if
     *     {@code seal} gave nothing to send at once
     */
    static CompletableFuture<byte[]> call(Function<byte[], CompletableFuture<byte[]>> send, Supplier<byte[]> seal,
            BooleanSupplier stillThere, Duration pause, int attempts) {
        return attempt(send, seal, stillThere, pause, attempts, 1,
                new CancellationException("the message was not to be sent any more"));
    }

    private static CompletableFuture<byte[]> attempt(Function<byte[], CompletableFuture<byte[]>> send,
            Supplier<byte[]> seal, BooleanSupplier stillThere, Duration pause, int attempts, int attempt, Throwable last) {
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
            return CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(pause.toMillis(), TimeUnit.MILLISECONDS))
                    .thenCompose(x -> attempt(send, seal, stillThere, pause, attempts, attempt + 1, error));
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
     * Whether {@code error}, or what caused it, says that the call got no answer though it might get one
     * sent again: one of Hazelcast's "try again" exceptions (its target is not in the routing member's list
     * yet, or has just left it), or the connection the call went on closed.
     */
    static boolean noAnswer(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof RetryableException || t instanceof TargetDisconnectedException) {
                return true;
            }
        }
        return false;
    }
}
