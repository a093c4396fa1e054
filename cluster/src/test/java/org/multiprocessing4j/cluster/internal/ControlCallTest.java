package org.multiprocessing4j.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.client.HazelcastClientNotActiveException;
import com.hazelcast.core.OperationTimeoutException;
import com.hazelcast.spi.exception.TargetDisconnectedException;
import com.hazelcast.spi.exception.TargetNotMemberException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * When a control message is sent again, and when not (the member's side of it: {@code MemberServiceTest}).
 */
class ControlCallTest {
    /** The next attempt after 1 ms. */
    private static final Executor PAUSE = CompletableFuture.delayedExecutor(1, TimeUnit.MILLISECONDS);
    private final AtomicInteger sealed = new AtomicInteger();
    private final AtomicInteger sent = new AtomicInteger();

    /** Each attempt's message: its number. */
    private byte[] seal() {
        return new byte[] {(byte) sealed.incrementAndGet()};
    }

    /** A send whose calls fail with {@code error} until the {@code answeredAt}th, which is answered with its message. */
    private Function<byte[], CompletableFuture<byte[]>> failing(Throwable error, int answeredAt) {
        return message -> sent.incrementAndGet() < answeredAt
                ? CompletableFuture.failedFuture(new CompletionException(error))
                : CompletableFuture.completedFuture(message);
    }

    @Test
    void aCallThatHazelcastCouldNotRouteIsSentAgainEachTimeSealedAnew() throws Exception {
        byte[] answer = ControlCall.call(failing(new TargetNotMemberException("not yet"), 3), this::seal, () -> true,
                PAUSE, 5).get(30, TimeUnit.SECONDS);
        assertThat(answer).containsExactly(3); // the third attempt's own message
        assertThat(sent).hasValue(3);
        assertThat(sealed).hasValue(3);
    }

    @Test
    void anAnswerOrAFailureThatIsNoLostAnswerIsNotSentAgain() throws Exception {
        assertThat(ControlCall.call(failing(null, 1), this::seal, () -> true, PAUSE, 5).get(30, TimeUnit.SECONDS))
                .containsExactly(1);
        assertThat(sent).hasValue(1);

        // Hazelcast's client sent it again itself until its invocation timeout: the last "try again" is the cause
        OperationTimeoutException timeout = new OperationTimeoutException("no answer within the invocation timeout");
        timeout.initCause(new TargetNotMemberException("not yet"));
        HazelcastClientNotActiveException closed = new HazelcastClientNotActiveException("Client is shutting down",
                new TargetDisconnectedException("closed"));
        for (Throwable error : new Throwable[] {timeout, closed}) {
            sent.set(0);
            CompletableFuture<byte[]> failed = ControlCall.call(failing(error, 5), this::seal, () -> true, PAUSE, 5);
            assertThatThrownBy(() -> failed.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isSameAs(error);
            assertThat(sent).hasValue(1);
        }
    }

    @Test
    void itIsSentNoMoreOnceTheTargetLeftTheClientClosedTheLastAttemptFailedOrTheDriverClosed() {
        TargetDisconnectedException lost = new TargetDisconnectedException("closed");
        AtomicInteger asked = new AtomicInteger();
        CompletableFuture<byte[]> left = ControlCall.call(failing(lost, 100), this::seal,
                () -> asked.incrementAndGet() < 2, PAUSE, 100);
        assertThatThrownBy(() -> left.get(30, TimeUnit.SECONDS)).hasRootCause(lost);
        assertThat(sent).hasValue(2);

        sent.set(0);
        CompletableFuture<byte[]> closed = ControlCall.call(failing(lost, 100), this::seal, () -> {
            throw new IllegalStateException("the client is not active");
        }, PAUSE, 100);
        assertThatThrownBy(() -> closed.get(30, TimeUnit.SECONDS)).hasRootCause(lost);
        assertThat(sent).hasValue(1);

        sent.set(0);
        CompletableFuture<byte[]> spent = ControlCall.call(failing(lost, 100), this::seal, () -> true, PAUSE, 4);
        assertThatThrownBy(() -> spent.get(30, TimeUnit.SECONDS)).hasRootCause(lost);
        assertThat(sent).hasValue(4);

        sent.set(0);
        Executor shutDown = r -> {
            throw new RejectedExecutionException("the driver closed");
        };
        CompletableFuture<byte[]> refused = ControlCall.call(failing(lost, 100), this::seal, () -> true, shutDown, 100);
        assertThatThrownBy(() -> refused.get(30, TimeUnit.SECONDS)).hasRootCause(lost);
        assertThat(sent).hasValue(1);
    }

    @Test
    void nothingIsSentOnceTheMessageIsNotToBeSentAnyMore() {
        CompletableFuture<byte[]> never = ControlCall.call(failing(null, 1), () -> null, () -> true, PAUSE, 5);
        assertThatThrownBy(() -> never.get(30, TimeUnit.SECONDS)).isInstanceOf(CancellationException.class);
        assertThat(sent).hasValue(0);

        TargetDisconnectedException lost = new TargetDisconnectedException("closed");
        CompletableFuture<byte[]> once = ControlCall.call(failing(lost, 100),
                () -> sealed.get() == 0 ? seal() : null, () -> true, PAUSE, 5);
        assertThatThrownBy(() -> once.get(30, TimeUnit.SECONDS)).hasRootCause(lost);
        assertThat(sent).hasValue(1);
    }
}
