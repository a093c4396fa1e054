package org.multiprocessing4j.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.multiprocessing4j.EOFError;

/** How a transport's failures are classified: by what happened, never by the platform's wording. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SocketTransportTest {

    /** A peer that resets the connection (TCP RST) is a peer gone, for a receive and for a send. */
    @Test
    void aResetByThePeerIsEndOfStream() throws Exception {
        withResetPeer(t -> {
            assertThatThrownBy(() -> t.recv(FrameLayout.MAX_PAYLOAD)).isInstanceOf(EOFException.class)
                    .hasCauseInstanceOf(IOException.class);
            assertThat(RawFrames.failure(new EOFException("x"))).isInstanceOf(EOFError.class);
        });
    }

    /** Sending to a peer that closed fails as end of stream (a broken pipe), not as another error. */
    @Test
    void sendingToAClosedPeerIsEndOfStream() throws Exception {
        withResetPeer(t -> {
            byte[] chunk = new byte[64 * 1024];
            assertThatThrownBy(() -> {
                while (true) { // the first writes may still be accepted by the kernel
                    t.send(FrameLayout.RAW, chunk, 0, chunk.length);
                }
            }).isInstanceOf(EOFException.class).hasCauseInstanceOf(IOException.class);
        });
    }

    /** This side's close is the caller's own doing: ClosedChannelException, mapped to IllegalStateException. */
    @Test
    void aClosedTransportIsMisuse() throws Exception {
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress("127.0.0.1", 0));
            SocketTransport t = new SocketTransport(SocketChannel.open(server.getLocalAddress()));
            try (SocketChannel peer = server.accept()) {
                assertThat(peer.isOpen()).as("the peer is still there").isTrue();
                t.close();
                assertThatThrownBy(() -> t.recv(FrameLayout.MAX_PAYLOAD)).isInstanceOf(ClosedChannelException.class);
                assertThatThrownBy(() -> RawFrames.recv(t)).isInstanceOf(IllegalStateException.class);
            }
        }
    }

    /** Runs {@code check} on a transport whose TCP peer has closed with a reset (SO_LINGER 0). */
    private static void withResetPeer(Consumer<SocketTransport> check) throws IOException {
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress("127.0.0.1", 0));
            try (SocketTransport t = new SocketTransport(SocketChannel.open(server.getLocalAddress()))) {
                try (SocketChannel peer = server.accept()) {
                    peer.setOption(StandardSocketOptions.SO_LINGER, 0); // close() sends a reset
                }
                check.accept(t);
            }
        }
    }
}
