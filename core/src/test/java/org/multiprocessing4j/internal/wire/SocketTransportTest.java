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

    /**
     * Over TCP each frame goes out when it is written, on either end: with Nagle's algorithm a frame sent
     * while the last is unacknowledged waits for the peer's delayed ACK (some 40 ms each time).
     */
    @Test
    void aTcpTransportSendsWithoutDelay() throws Exception {
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress("127.0.0.1", 0));
            try (SocketTransport connected = new SocketTransport(SocketChannel.open(server.getLocalAddress()));
                 SocketTransport accepted = new SocketTransport(server.accept())) {
                assertThat(connected.channel().getOption(StandardSocketOptions.TCP_NODELAY)).isTrue();
                assertThat(accepted.channel().getOption(StandardSocketOptions.TCP_NODELAY)).isTrue();
            }
        }
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

    /**
     * A lent receive gives each frame whole, whatever its size against the receive buffer (64 KiB) and the
     * reused array's cap (1 MiB), and the bytes of the frame it returned, even once a longer frame
     * replaced the array; a peer gone in the middle of a frame is end of stream.
     */
    @Test
    void lentReceivesGiveEveryFrameWhole() throws Exception {
        int[] sizes = {0, 1, 100, 70_000, 10, 300_000, 2_000_000, 50, 1 << 20};
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress("127.0.0.1", 0));
            try (SocketTransport reader = new SocketTransport(SocketChannel.open(server.getLocalAddress()));
                 SocketTransport writer = new SocketTransport(server.accept())) {
                Thread w = new Thread(() -> {
                    try {
                        for (int i = 0; i < sizes.length; i++) {
                            writer.sendObject((byte) ('a' + i), pattern(sizes[i], i), 0, sizes[i]);
                        }
                        byte[] cut = new byte[FrameLayout.HEADER_LENGTH + 1 + 10];
                        java.nio.ByteBuffer.wrap(cut).putInt(1 + 1000).put(FrameLayout.OBJECT).put((byte) 'z');
                        writer.sendFrames(new java.nio.ByteBuffer[] {java.nio.ByteBuffer.wrap(cut)});
                        writer.shutdownOutput(); // 990 bytes short
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                w.start();
                for (int i = 0; i < sizes.length; i++) {
                    SocketTransport.View v = reader.recvView(Integer.MAX_VALUE);
                    assertThat(v.kind()).isEqualTo(FrameLayout.OBJECT);
                    assertThat(v.tag()).isEqualTo((byte) ('a' + i));
                    assertThat(v.length()).isEqualTo(sizes[i]);
                    assertThat(java.util.Arrays.copyOf(v.bytes(), v.length())).isEqualTo(pattern(sizes[i], i));
                }
                assertThatThrownBy(() -> reader.recvView(Integer.MAX_VALUE)).isInstanceOf(EOFException.class)
                        .hasMessageContaining("middle of a message");
                w.join();
            }
        }
    }

    private static byte[] pattern(int size, int seed) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (i * 31 + seed);
        }
        return b;
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
