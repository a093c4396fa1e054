package org.multiprocessing4j.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.multiprocessing4j.AuthenticationError;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AcceptorTest {
    private static final byte[] KEY = "a key for the acceptor".getBytes(StandardCharsets.UTF_8);
    /** A challenge frame: header, "#CHALLENGE#" and a 32-byte nonce. */
    private static final int CHALLENGE_FRAME = FrameLayout.HEADER_LENGTH + 11 + 32;

    private final BlockingQueue<SocketTransport> peers = new LinkedBlockingQueue<>();
    private final BlockingQueue<AuthenticationError> refusals = new LinkedBlockingQueue<>();
    private final List<Socket> raw = new ArrayList<>();
    private final List<SocketTransport> transports = new ArrayList<>();
    private ServerSocketChannel server;
    private InetSocketAddress address;
    private Acceptor acceptor;

    @BeforeEach
    void bind() throws IOException {
        server = ServerSocketChannel.open();
        server.bind(new InetSocketAddress("127.0.0.1", 0));
        address = (InetSocketAddress) server.getLocalAddress();
    }

    @AfterEach
    void closeEverything() throws IOException {
        if (acceptor != null) {
            acceptor.close();
        }
        for (Socket s : raw) {
            s.close();
        }
        transports.forEach(SocketTransport::close);
        peers.forEach(SocketTransport::close);
        server.close();
    }

    @Test
    void beyondTheBoundTheOldestHandshakeMakesRoomAndACorrectClientIsStillServed() throws Exception {
        start(TimeUnit.SECONDS.toNanos(30), 8);
        List<Socket> silent = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            Socket s = silentPeer(); // accepted: it has its challenge
            silent.add(s);
        }
        for (int i = 0; i < 32; i++) {
            assertThat(closedByTheServer(silent.get(i), Duration.ofSeconds(10))).as("peer " + i).isTrue();
        }
        long t0 = System.nanoTime();
        SocketTransport client = client();
        Handshake.asClient(client, KEY);
        SocketTransport server = peers.poll(10, TimeUnit.SECONDS);
        assertThat(server).isNotNull();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(1));
        assertThat(closedByTheServer(silent.get(39), Duration.ofMillis(100))).as("the newest silent peer").isFalse();
        assertThat(refusals).isEmpty();
    }

    @Test
    void aSilentPeerIsClosedAtItsDeadlineAndNotReported() throws Exception {
        start(TimeUnit.MILLISECONDS.toNanos(300), 8);
        Socket silent = silentPeer();
        long t0 = System.nanoTime();
        assertThat(closedByTheServer(silent, Duration.ofSeconds(10))).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThan(Duration.ofMillis(200));
        assertThat(refusals).isEmpty();
        assertThat(peers).isEmpty();
    }

    @Test
    void aWrongKeyIsRefusedAndReportedOnBothSides() throws Exception {
        start(TimeUnit.SECONDS.toNanos(30), 8);
        SocketTransport client = client();
        try {
            Handshake.asClient(client, "another key".getBytes(StandardCharsets.UTF_8));
            throw new AssertionError("the handshake passed with a wrong key");
        } catch (AuthenticationError expected) {
            assertThat(expected).hasMessageContaining("rejected");
        }
        assertThat(refusals.poll(10, TimeUnit.SECONDS)).hasMessageContaining("digest received was wrong");
        assertThat(peers).isEmpty();
    }

    @Test
    void whatAClientSendsRightAfterTheHandshakeReachesTheTransport() throws Exception {
        start(TimeUnit.SECONDS.toNanos(30), 8);
        SocketTransport client = client();
        Handshake.asClient(client, KEY);
        ByteBuffer[] frames = new ByteBuffer[3];
        for (int i = 0; i < 3; i++) {
            byte[] payload = ("message " + i).getBytes(StandardCharsets.UTF_8);
            frames[i] = ByteBuffer.allocate(FrameLayout.HEADER_LENGTH + payload.length).putInt(payload.length)
                    .put(FrameLayout.RAW).put(payload).flip();
        }
        client.sendFrames(frames);
        SocketTransport server = peers.poll(10, TimeUnit.SECONDS);
        assertThat(server).isNotNull();
        for (int i = 0; i < 3; i++) {
            assertThat(new String(server.recv(1024).payload(), StandardCharsets.UTF_8)).isEqualTo("message " + i);
        }
    }

    @Test
    void closeEndsTheHandshakesInProgressAndTheServerButNotThePeersHandedOver() throws Exception {
        start(TimeUnit.SECONDS.toNanos(30), 8);
        SocketTransport client = client();
        Handshake.asClient(client, KEY);
        SocketTransport server = peers.poll(10, TimeUnit.SECONDS);
        assertThat(server).isNotNull();
        List<Socket> silent = List.of(silentPeer(), silentPeer(), silentPeer());

        acceptor.close();
        assertThat(this.server.isOpen()).isFalse();
        for (Socket s : silent) {
            assertThat(closedByTheServer(s, Duration.ofSeconds(1))).isTrue();
        }
        byte[] hello = "still here".getBytes(StandardCharsets.UTF_8);
        client.send(FrameLayout.RAW, hello, 0, hello.length);
        assertThat(server.recv(1024).payload()).isEqualTo(hello);
        acceptor.close(); // twice is allowed
    }

    @Test
    void aClientOfASilentServerGivesUpAtItsDeadline() throws Exception {
        SocketTransport client = client(); // connected: the kernel accepted it, nobody will answer
        long t0 = System.nanoTime();
        try {
            Handshake.asClient(client, KEY, TimeUnit.MILLISECONDS.toNanos(300));
            throw new AssertionError("a handshake with nobody passed");
        } catch (SocketTimeoutException expected) {
            assertThat(expected).hasMessageContaining("300 ms");
        }
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isBetween(Duration.ofMillis(250), Duration.ofSeconds(10));
        assertThat(client.isClosed()).isTrue();
    }

    private void start(long timeoutNanos, int maxPending) {
        acceptor = Acceptor.start(server, KEY, "mp4j-test-acceptor", peers::add, refusals::add, timeoutNanos, maxPending);
    }

    private SocketTransport client() throws IOException {
        SocketTransport t = new SocketTransport(Address.parse("127.0.0.1:" + address.getPort()).connect());
        transports.add(t);
        return t;
    }

    /** A peer that connects, reads its challenge (so it has been accepted) and says nothing. */
    private Socket silentPeer() throws IOException {
        Socket s = new Socket();
        raw.add(s);
        s.connect(address, 5_000);
        s.setSoTimeout(10_000);
        assertThat(s.getInputStream().readNBytes(CHALLENGE_FRAME)).hasSize(CHALLENGE_FRAME);
        return s;
    }

    /** Whether the server closes {@code s} within {@code within} (end of stream or a reset). */
    private static boolean closedByTheServer(Socket s, Duration within) throws IOException {
        s.setSoTimeout((int) Math.max(1, within.toMillis()));
        InputStream in = s.getInputStream();
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (SocketException reset) {
            return true;
        }
    }
}
