package org.multiprocessing4j.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.multiprocessing4j.AuthenticationError;
import org.multiprocessing4j.ProcessError;
import org.multiprocessing4j.testing.Await;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DialTest {

    /** An interrupt during the handshake is an interrupt, not a peer that went away. */
    @Test
    @SuppressWarnings("try") // the peer is held open and silent: that is the point
    void anInterruptWhileAuthenticatingIsAnInterrupt() throws Exception {
        try (ServerSocketChannel silent = ServerSocketChannel.open()) {
            silent.bind(new InetSocketAddress("127.0.0.1", 0));
            String address = Address.describe(silent.getLocalAddress());
            CompletableFuture<Throwable> outcome = new CompletableFuture<>();
            CompletableFuture<Boolean> flag = new CompletableFuture<>();
            Thread dialer = new Thread(() -> {
                try {
                    Dial.connect(address, new byte[32]).close();
                    outcome.complete(null);
                } catch (Throwable t) {
                    flag.complete(Thread.currentThread().isInterrupted());
                    outcome.complete(t);
                }
            });
            dialer.start();
            try (SocketChannel peer = silent.accept()) { // never answers the challenge
                Await.until(Duration.ofSeconds(10), () -> Await.isBlockedIn(dialer, "asClient"),
                        "the dialer to wait for the challenge");
                dialer.interrupt();
                Throwable t = outcome.get(10, TimeUnit.SECONDS);
                assertThat(t).isInstanceOf(ProcessError.class).isNotInstanceOf(AuthenticationError.class)
                        .hasMessageContaining("interrupted").hasCauseInstanceOf(InterruptedException.class);
                assertThat(flag.get()).as("the interrupt flag stays set").isTrue();
            }
            dialer.join();
        }
    }
}
