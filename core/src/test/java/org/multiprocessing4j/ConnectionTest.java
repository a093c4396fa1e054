package org.multiprocessing4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.multiprocessing4j.internal.codec.Codec;
import org.multiprocessing4j.internal.wire.Address;
import org.multiprocessing4j.testing.Await;
import org.multiprocessing4j.testing.Targets;

@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ConnectionTest {
    private static final byte[] KEY = "a key for tests".getBytes();

    @TempDir
    Path tmp;

    /** A value the codec sends with JDK serialization. */
    record Point(int x, int y) implements Serializable {
    }

    @ParameterizedTest
    @ValueSource(strings = {"unix", "tcp"})
    void aChildExchangesObjectsAndBytesWithTheParent(String kind) {
        String where = kind.equals("unix") ? "unix:" + tmp.resolve("echo.sock") : "127.0.0.1:0";
        try (Listener listener = new Listener(where, KEY)) {
            String address = listener.address();
            Process child = new Process(() -> {
                try (Connection c = Client.connect(address, KEY)) {
                    while (true) {
                        Object o = c.recv();
                        if ("stop".equals(o)) {
                            break;
                        }
                        c.send(o);
                    }
                    c.sendBytes(c.recvBytes());
                }
            });
            child.start();
            try (Connection c = listener.accept()) {
                List<Object> values = Arrays.asList(42, 7L, 2.5, true, "héllo", null, new Point(1, 2),
                        List.of("a", "b"), Map.of("k", 1));
                for (Object v : values) {
                    c.send(v);
                    assertThat(c.recv()).isEqualTo(v);
                }
                for (Object v : new Object[] {new byte[] {1, 2, 3}, new int[] {1, -2}, new long[] {3L}, new double[] {0.5}}) {
                    c.send(v);
                    assertThat(c.recv()).isEqualTo(v);
                }
                c.send(new Point(3, 4));
                assertThat(c.recv(Point.class)).isEqualTo(new Point(3, 4));
                c.send("stop");
                c.sendBytes(new byte[] {9, 8, 7});
                assertThat(c.recvBytes()).containsExactly(9, 8, 7);
            }
            child.join();
            assertThat(child.exitCode()).isZero();
        }
        assertThat(kind.equals("unix") ? Files.exists(tmp.resolve("echo.sock")) : false)
                .as("closing the listener removes its socket file").isFalse();
    }

    @Test
    void messageBoundariesAreKeptForEverySizeIncludingEmptyAndLarge() {
        int[] sizes = {0, 1, 4, 5, 100, 65_535, 65_536, 65_537, 1 << 20, 16 << 20, 64 << 20};
        try (Listener listener = new Listener()) {
            String address = listener.address();
            Process child = new Process(() -> {
                try (Connection c = Client.connect(address, null)) {
                    for (int size : sizes) {
                        byte[] b = new byte[size];
                        for (int i = 0; i < size; i++) {
                            b[i] = (byte) (i * 31 + size);
                        }
                        c.sendBytes(b);
                        c.send(b); // the object path too
                    }
                }
            });
            child.start();
            try (Connection c = listener.accept()) {
                for (int size : sizes) {
                    byte[] raw = c.recvBytes();
                    byte[] obj = (byte[]) c.recv();
                    assertThat(raw.length).isEqualTo(size);
                    assertThat(crc(obj)).isEqualTo(crc(raw));
                    for (int i = 0; i < size; i += 4093) {
                        assertThat(raw[i]).isEqualTo((byte) (i * 31 + size));
                    }
                }
                assertThatThrownBy(c::recv).isInstanceOf(EOFError.class);
            }
            child.join();
            assertThat(child.exitCode()).isZero();
        }
    }

    @Test
    void whenThePeerExitsOrIsKilledEveryMessageIsReceivedThenEofAtOnce() {
        try (Listener listener = new Listener()) {
            String address = listener.address();
            Process exits = new Process(() -> {
                Connection c = Client.connect(address, null);
                for (int i = 0; i < 3; i++) {
                    c.send(i);
                }
                // exits without closing: the kernel closes the socket
            });
            exits.start();
            try (Connection c = listener.accept()) {
                assertThat(List.of(c.recv(), c.recv(), c.recv())).containsExactly(0, 1, 2);
                assertThatThrownBy(c::recv).isInstanceOf(EOFError.class);
                assertThatThrownBy(c::recv).as("and again").isInstanceOf(EOFError.class);
                assertThat(c.poll()).as("poll reports the end of stream").isTrue();
            }
            exits.join();

            Process killed = new Process(() -> {
                Connection c = Client.connect(address, null);
                c.send("ready");
                Targets.sleep(60_000);
            });
            killed.start();
            try (Connection c = listener.accept()) {
                assertThat(c.recv()).isEqualTo("ready");
                killed.kill();
                long t0 = System.nanoTime();
                assertThatThrownBy(c::recv).isInstanceOf(EOFError.class);
                assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
                assertThatThrownBy(() -> c.send("anyone?")).isInstanceOf(EOFError.class);
            }
            killed.join();
            assertThat(killed.exitCode()).isEqualTo(-9);
        }
    }

    @Test
    void aWrongKeyFailsOnBothSides() {
        try (Listener listener = new Listener(null, KEY)) {
            String address = listener.address();
            Process child = new Process(() -> {
                try {
                    Client.connect(address, "another key".getBytes());
                    System.exit(2);
                } catch (AuthenticationError e) {
                    System.exit(e.getMessage().contains("rejected") ? 10 : 11);
                }
            });
            child.start();
            assertThatThrownBy(listener::accept).isInstanceOf(AuthenticationError.class)
                    .hasMessageContaining("digest received was wrong");
            child.join();
            assertThat(child.exitCode()).as("the client saw AuthenticationError").isEqualTo(10);
        }
    }

    /** Deserializing this would leave a trace. */
    static final class Bomb implements Serializable {
        private static final long serialVersionUID = 1L;
        static volatile boolean exploded;

        private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
            in.defaultReadObject();
            exploded = true;
        }
    }

    @Test
    void anUnauthenticatedPeerCannotMakeUsDeserialize() throws Exception {
        try (Listener listener = new Listener(null, KEY)) {
            CompletableFuture<Throwable> accepted = CompletableFuture.supplyAsync(() -> {
                try {
                    listener.accept();
                    return null;
                } catch (Throwable t) {
                    return t;
                }
            });
            Codec.Encoded bomb = Codec.encode(new Bomb());
            byte[] payload = Codec.joined(bomb.tag(), bomb.body());
            try (SocketChannel raw = Address.parse(listener.address()).connect()) {
                ByteBuffer frame = ByteBuffer.allocate(5 + payload.length).putInt(payload.length).put((byte) 'O')
                        .put(payload).flip();
                while (frame.hasRemaining()) {
                    raw.write(frame);
                }
                assertThat(accepted.get(30, TimeUnit.SECONDS)).isInstanceOf(AuthenticationError.class);
            }
            assertThat(Bomb.exploded).isFalse();
        }
    }

    @Test
    void bindingAnAddressInUseFailsClearly() throws Exception {
        try (Listener tcp = new Listener("127.0.0.1:0", KEY)) {
            assertThatThrownBy(() -> new Listener(tcp.address(), KEY)).isInstanceOf(ProcessError.class)
                    .hasMessageContaining(tcp.address());
        }
        Path file = tmp.resolve("taken.sock");
        try (Listener unix = new Listener("unix:" + file, KEY)) {
            assertThatThrownBy(() -> new Listener(unix.address(), KEY)).isInstanceOf(ProcessError.class)
                    .hasMessageContaining("taken.sock");
        }
        assertThatThrownBy(() -> new Listener("nonsense", KEY)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Client.connect("unix:" + tmp.resolve("nobody.sock"), KEY))
                .isInstanceOf(ProcessError.class);
    }

    @Test
    void bytesApiChecksItsArgumentsAndKeepsWhatDoesNotFit() throws Exception {
        try (Listener listener = new Listener(); Pair p = Pair.of(listener)) {
            Connection a = p.a;
            Connection b = p.b;
            byte[] buf = new byte[10];
            assertThatThrownBy(() -> a.sendBytes(buf, -1, 2)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> a.sendBytes(buf, 11, 0)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> a.sendBytes(buf, 0, -1)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> a.sendBytes(buf, 5, 6)).isInstanceOf(IllegalArgumentException.class);
            a.sendBytes(new byte[] {1, 2, 3, 4, 5, 6}, 2, 3);
            assertThat(b.recvBytes()).containsExactly(3, 4, 5);

            a.sendBytes(new byte[8]);
            assertThatThrownBy(() -> b.recvBytes(4)).isInstanceOf(ProcessError.class).hasMessageContaining("8 bytes");
            assertThat(b.recvBytes(8)).as("left unread, not lost").hasSize(8);

            a.sendBytes(new byte[] {1, 2, 3, 4, 5, 6, 7});
            byte[] small = new byte[8];
            assertThatThrownBy(() -> b.recvBytesInto(small, 3)).isInstanceOfSatisfying(BufferTooShort.class,
                    e -> assertThat(e.message()).containsExactly(1, 2, 3, 4, 5, 6, 7));
            a.sendBytes(new byte[] {7, 7});
            assertThat(b.recvBytesInto(small, 6)).isEqualTo(2);
            assertThat(small[7]).isEqualTo((byte) 7);
            assertThatThrownBy(() -> b.recvBytesInto(small, 9)).isInstanceOf(IllegalArgumentException.class);

            class NotSerializable {
            }
            assertThatThrownBy(() -> a.send(new NotSerializable())).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("NotSerializable");
            a.send("still usable");
            assertThat(b.recv()).isEqualTo("still usable");
        }
    }

    @Test
    void aPeerThatLeavesDuringAuthenticationIsDroppedAndTheListenerGoesOn() throws Exception {
        try (Listener listener = new Listener(null, KEY)) {
            Address.parse(listener.address()).connect().close();
            try (Pair p = Pair.of(listener, KEY)) {
                p.a.send("after");
                assertThat(p.b.recv()).isEqualTo("after");
            }
        }
    }

    @Test
    void pollWaitsWithoutConsuming() throws Exception {
        try (Listener listener = new Listener(); Pair p = Pair.of(listener)) {
            assertThat(p.b.poll()).isFalse();
            long t0 = System.nanoTime();
            assertThat(p.b.poll(Duration.ofMillis(200))).isFalse();
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(150));
            p.a.send("x");
            assertThat(p.b.poll(Duration.ofSeconds(10))).isTrue();
            assertThat(p.b.poll()).as("poll consumed nothing").isTrue();
            assertThat(p.b.recv()).isEqualTo("x");
            assertThat(p.b.poll()).isFalse();
        }
    }

    @Test
    void anInterruptedReceiveThrowsAndTheConnectionStaysUsable() throws Exception {
        try (Listener listener = new Listener(); Pair p = Pair.of(listener)) {
            Thread.currentThread().interrupt();
            assertThatThrownBy(p.b::recv).isInstanceOf(ProcessError.class).hasCauseInstanceOf(InterruptedException.class);
            assertThat(Thread.interrupted()).isTrue();
            p.a.send(5);
            assertThat(p.b.recv()).isEqualTo(5);

            java.util.concurrent.atomic.AtomicReference<Thread> receiver = new java.util.concurrent.atomic.AtomicReference<>();
            CompletableFuture<Throwable> blocked = CompletableFuture.supplyAsync(() -> {
                receiver.set(Thread.currentThread());
                try {
                    p.b.recv();
                    return null;
                } catch (Throwable t) {
                    return t;
                }
            });
            Await.until(Duration.ofSeconds(30), () -> receiver.get() != null && Await.isBlockedIn(receiver.get(), "recv"),
                    "the receiving thread to block in recv()");
            assertThat(blocked).isNotDone();
            p.b.close();
            assertThat(blocked.get(10, TimeUnit.SECONDS)).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> p.b.send(1)).isInstanceOf(IllegalStateException.class);
            p.b.close(); // twice is allowed
        }
    }

    @Test
    void closingAListenerWakesAccept() throws Exception {
        Listener listener = new Listener();
        java.util.concurrent.atomic.AtomicReference<Thread> acceptor = new java.util.concurrent.atomic.AtomicReference<>();
        CompletableFuture<Throwable> blocked = CompletableFuture.supplyAsync(() -> {
            acceptor.set(Thread.currentThread());
            try {
                listener.accept();
                return null;
            } catch (Throwable t) {
                return t;
            }
        });
        Await.until(Duration.ofSeconds(30), () -> acceptor.get() != null && Await.isBlockedIn(acceptor.get(), "accept"),
                "the accepting thread to block in accept()");
        assertThat(blocked).isNotDone();
        listener.close();
        assertThat(blocked.get(10, TimeUnit.SECONDS)).isInstanceOf(IllegalStateException.class);
    }

    /** Two connected ends in this JVM, for what needs no second process. */
    record Pair(Connection a, Connection b) implements AutoCloseable {
        static Pair of(Listener listener) throws Exception {
            return of(listener, null);
        }

        static Pair of(Listener listener, byte[] key) throws Exception {
            CompletableFuture<Connection> accepted = CompletableFuture.supplyAsync(listener::accept);
            Connection a = Client.connect(listener.address(), key);
            return new Pair(a, accepted.get(30, TimeUnit.SECONDS));
        }

        @Override
        public void close() {
            a.close();
            b.close();
        }
    }

    private static long crc(byte[] b) {
        CRC32 crc = new CRC32();
        crc.update(b);
        return crc.getValue();
    }
}
