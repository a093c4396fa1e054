package org.multiprocessing4j.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.multiprocessing4j.AuthenticationError;
import org.multiprocessing4j.Client;
import org.multiprocessing4j.EOFError;
import org.multiprocessing4j.ProcessError;
import org.multiprocessing4j.internal.manager.ManagerClient;
import org.multiprocessing4j.testing.Await;

/**
 * One dial, each caller's words: every way a dial fails, on real sockets, as {@link Dial#open}'s reason
 * and as each caller of it reports it ({@link Dial#connect} for {@link Client} and the queue and pool
 * clients, {@link ManagerClient}, a pipe end's {@link PipeHome.Copy}).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DialTest {
    private static final byte[] KEY = "the key of the process tree".getBytes(StandardCharsets.UTF_8);
    private static final byte[] OTHER_KEY = "the key of another tree".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    @Test
    void nothingListening() {
        Path home = dir.resolve("nobody.sock");
        String address = "unix:" + home;

        assertThat(reasonOf(address, KEY)).isEqualTo(Dial.Reason.NOTHING_LISTENS);
        assertThatThrownBy(() -> Dial.connect(address, KEY)).isInstanceOf(ProcessError.class)
                .isNotInstanceOf(AuthenticationError.class).hasMessageStartingWith("cannot connect to " + address);
        assertThatThrownBy(() -> Client.connect(address, KEY)).isInstanceOf(ProcessError.class)
                .isNotInstanceOf(AuthenticationError.class);
        assertThatThrownBy(() -> ManagerClient.of(address, KEY).connect()).isInstanceOf(EOFError.class)
                .hasMessageStartingWith("the manager at " + address + " is gone: nothing listens there any more");
        assertThatThrownBy(() -> PipeHome.Copy.connect(home.toString(), "p", PipeHome.LEFT, 1, KEY))
                .isInstanceOf(EOFException.class).hasMessage("the process that opened the pipe is gone");
    }

    /** The peer sends its challenge, reads the answer, and leaves without a verdict. */
    @Test
    void aPeerThatLeavesInTheMiddleOfTheHandshake() throws Exception {
        Path home = dir.resolve("leaves.sock");
        String address = "unix:" + home;
        try (ServerSocketChannel server = Address.parse(address).bind()) {
            Thread peer = new Thread(() -> leaveMidHandshake(server), "leaves-mid-handshake");
            peer.setDaemon(true);
            peer.start();

            assertThat(reasonOf(address, KEY)).isEqualTo(Dial.Reason.GONE_DURING_HANDSHAKE);
            assertThatThrownBy(() -> Dial.connect(address, KEY)).isInstanceOf(AuthenticationError.class)
                    .hasMessageStartingWith("the listener at " + address + " went away or did not answer");
            assertThatThrownBy(() -> Client.connect(address, KEY)).isInstanceOf(AuthenticationError.class);
            assertThatThrownBy(() -> ManagerClient.of(address, KEY).connect()).isInstanceOf(EOFError.class)
                    .hasMessageStartingWith("the manager at " + address
                            + " is gone: it went away while this process connected");
            assertThatThrownBy(() -> PipeHome.Copy.connect(home.toString(), "p", PipeHome.LEFT, 1, KEY))
                    .isInstanceOf(EOFException.class);
        }
    }

    @Test
    @SuppressWarnings("try") // the acceptor only has to be there
    void aPeerWithAnotherKey() throws Exception {
        Path home = dir.resolve("other.sock");
        String address = "unix:" + home;
        try (Acceptor acceptor = Acceptor.start(Address.parse(address).bind(), OTHER_KEY, "other-key",
                SocketTransport::close, refused -> { })) {
            assertThat(reasonOf(address, KEY)).isEqualTo(Dial.Reason.REFUSED_KEY);
            assertThatThrownBy(() -> Dial.connect(address, KEY)).isInstanceOf(AuthenticationError.class)
                    .hasMessageContaining("another authkey");
            assertThatThrownBy(() -> Client.connect(address, KEY)).isInstanceOf(AuthenticationError.class);
            assertThatThrownBy(() -> ManagerClient.of(address, KEY).connect()).isInstanceOf(AuthenticationError.class)
                    .hasMessageStartingWith("the manager at " + address + " refused the authkey");
            assertThatThrownBy(() -> PipeHome.Copy.connect(home.toString(), "p", PipeHome.LEFT, 1, KEY))
                    .isInstanceOf(AuthenticationError.class);
        }
    }

    /** An interrupt during the handshake is an interrupt, not a peer that went away. */
    @Test
    void anInterruptWhileAuthenticatingIsAnInterrupt() throws Exception {
        try (ServerSocketChannel silent = ServerSocketChannel.open()) {
            silent.bind(new InetSocketAddress("127.0.0.1", 0));
            String address = Address.describe(silent.getLocalAddress());
            Interrupted i = interruptWhileAuthenticating(silent, () -> Dial.connect(address, KEY));
            assertThat(i.thrown()).isInstanceOf(ProcessError.class).isNotInstanceOf(AuthenticationError.class)
                    .hasMessageContaining("interrupted").hasCauseInstanceOf(InterruptedException.class);
            assertThat(i.flagSet()).as("the interrupt flag stays set").isTrue();
        }
    }

    /**
     * An interrupt while the socket itself connects (NIO closes the channel: {@code ClosedByInterruptException})
     * is an interrupt too, not a listener missing: a queue's take interrupted as it opened its connection
     * reported the queue's server gone.
     */
    @Test
    void anInterruptWhileConnectingIsAnInterrupt() throws Exception {
        try (ServerSocketChannel listening = ServerSocketChannel.open()) {
            listening.bind(new InetSocketAddress("127.0.0.1", 0));
            String address = Address.describe(listening.getLocalAddress());
            Thread.currentThread().interrupt(); // the connect meets it at once
            Throwable t = catchThrowable(() -> Dial.connect(address, KEY));
            boolean flagSet = Thread.interrupted();
            assertThat(t).isInstanceOf(ProcessError.class).hasMessageContaining("interrupted")
                    .hasCauseInstanceOf(InterruptedException.class);
            assertThat(flagSet).as("the interrupt flag stays set").isTrue();
        }
    }

    /** {@link Dial#open} says so; a manager's client still reports its manager gone, as it always has. */
    @Test
    void anInterruptIsAReasonOfItsOwnThatEachCallerNames() throws Exception {
        try (ServerSocketChannel silent = ServerSocketChannel.open()) {
            silent.bind(new InetSocketAddress("127.0.0.1", 0));
            String address = Address.describe(silent.getLocalAddress());

            Interrupted open = interruptWhileAuthenticating(silent, () -> Dial.open(address, KEY));
            assertThat(open.thrown()).isInstanceOf(Dial.Failed.class)
                    .hasCauseInstanceOf(InterruptedIOException.class);
            assertThat(((Dial.Failed) open.thrown()).reason()).isEqualTo(Dial.Reason.INTERRUPTED);
            assertThat(open.flagSet()).as("the interrupt flag stays set").isTrue();

            Interrupted manager = interruptWhileAuthenticating(silent, () -> ManagerClient.of(address, KEY).connect());
            assertThat(manager.thrown()).isInstanceOf(EOFError.class)
                    .hasMessageContaining("it went away while this process connected");
            assertThat(manager.flagSet()).as("the interrupt flag stays set").isTrue();
        }
    }

    private static Dial.Reason reasonOf(String address, byte[] key) {
        Throwable t = catchThrowable(() -> Dial.open(address, key).close());
        assertThat(t).isInstanceOf(Dial.Failed.class);
        Dial.Failed f = (Dial.Failed) t;
        assertThat(f.address()).isEqualTo(address);
        return f.reason();
    }

    /** Serves every connection the first half of a handshake, then closes it. */
    private static void leaveMidHandshake(ServerSocketChannel server) {
        while (true) {
            try (SocketChannel c = server.accept()) {
                c.write(Handshake.frame(Handshake.newChallenge()));
                ByteBuffer answer = ByteBuffer.allocate(FrameLayout.HEADER_LENGTH + 32); // an HMAC-SHA256
                while (answer.hasRemaining() && c.read(answer) >= 0) {
                    // until the whole answer is in
                }
            } catch (IOException closed) {
                return;
            }
        }
    }

    private record Interrupted(Throwable thrown, boolean flagSet) {
    }

    /** Runs {@code dial} on a thread of its own, and interrupts it while it waits for the silent peer. */
    @SuppressWarnings("try") // the peer is held open and silent: that is the point
    private static Interrupted interruptWhileAuthenticating(ServerSocketChannel silent, Callable<?> dial)
            throws Exception {
        CompletableFuture<Interrupted> outcome = new CompletableFuture<>();
        Thread dialer = new Thread(() -> {
            try {
                Object connected = dial.call();
                outcome.complete(new Interrupted(null, Thread.currentThread().isInterrupted()));
                if (connected instanceof AutoCloseable c) {
                    c.close();
                }
            } catch (Throwable t) {
                outcome.complete(new Interrupted(t, Thread.currentThread().isInterrupted()));
            }
        }, "dialer");
        dialer.start();
        try (SocketChannel peer = silent.accept()) { // never answers the challenge
            Await.until(Duration.ofSeconds(10), () -> Await.isBlockedIn(dialer, "asClient"),
                    "the dialer to wait for the challenge");
            dialer.interrupt();
            Interrupted i = outcome.get(10, TimeUnit.SECONDS);
            dialer.join();
            return i;
        }
    }
}
