package org.multiprocessing4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.multiprocessing4j.drivers.ListenerDriver;
import org.multiprocessing4j.internal.wire.Address;
import org.multiprocessing4j.testing.JavaDriver;

/**
 * What a peer without the key can do to a server: nothing that holds up other clients (each handshake
 * runs beside the others, with a deadline) and nothing that costs the server more than a socket.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ListenerSecurityTest {
    private static final byte[] KEY = "a key for the security tests".getBytes(StandardCharsets.UTF_8);
    private static final Duration SERVED_WITHIN = Duration.ofSeconds(1);

    @Test
    void aCorrectClientIsServedWithinASecondWhileAHundredPeersStall() throws Exception {
        try (Listener listener = new Listener("127.0.0.1:0", KEY);
             Stallers stalling = Stallers.open(listener.address(), 100)) {
            assertThat(stalling.size()).isEqualTo(100);
            CompletableFuture<Connection> accepted = CompletableFuture.supplyAsync(listener::accept);
            long t0 = System.nanoTime();
            CompletableFuture<Object> roundTrip = CompletableFuture.supplyAsync(() -> {
                try (Connection c = Client.connect(listener.address(), KEY)) {
                    c.send("ping");
                    return c.recv();
                }
            });
            try (Connection server = accepted.get(10, TimeUnit.SECONDS)) {
                server.send(server.recv());
                assertThat(roundTrip.get(10, TimeUnit.SECONDS)).isEqualTo("ping");
            }
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(SERVED_WITHIN);
        }
    }

    @Test
    void aRemoteManagerServesAClientWithinASecondWhileAHundredPeersStall() throws Exception {
        try (BaseManager warm = new BaseManager("127.0.0.1:0", KEY)) { // this JVM's first calls, off the clock
            warm.register("counter", BaseManagerTest.CounterImpl::new, BaseManagerTest.Counter.class);
            warm.start();
            assertThat(increment(warm.address())).isEqualTo(1);
        }
        try (BaseManager m = new BaseManager("127.0.0.1:0", KEY)) {
            m.register("counter", BaseManagerTest.CounterImpl::new, BaseManagerTest.Counter.class);
            m.start();
            String address = m.address();
            try (Stallers stalling = Stallers.open(address, 100)) {
                assertThat(stalling.size()).isEqualTo(100);
                long t0 = System.nanoTime();
                CompletableFuture<Integer> call = CompletableFuture.supplyAsync(() -> increment(address));
                assertThat(call.get(10, TimeUnit.SECONDS)).isEqualTo(1);
                assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(SERVED_WITHIN);
            }
        }
    }

    /** A new client of the manager at {@code address} makes a counter and increments it. */
    private static int increment(String address) {
        try (BaseManager client = BaseManager.connect(address, KEY)) {
            return client.create("counter", BaseManagerTest.Counter.class).increment();
        }
    }

    @Test
    void aWrongKeyStillFailsAcceptWhilePeersStallAndTheListenerGoesOn() throws Exception {
        try (Listener listener = new Listener("127.0.0.1:0", KEY);
             Stallers stalling = Stallers.open(listener.address(), 100)) {
            assertThat(stalling.size()).isEqualTo(100);
            CompletableFuture<Throwable> wrong = CompletableFuture.supplyAsync(() -> {
                try {
                    Client.connect(listener.address(), "another key".getBytes(StandardCharsets.UTF_8)).close();
                    return null;
                } catch (Throwable t) {
                    return t;
                }
            });
            CompletableFuture<Connection> refused = CompletableFuture.supplyAsync(listener::accept);
            assertThatThrownBy(() -> refused.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(AuthenticationError.class)
                    .hasMessageContaining("digest received was wrong");
            assertThat(wrong.get(10, TimeUnit.SECONDS)).isInstanceOf(AuthenticationError.class)
                    .hasMessageContaining("rejected");

            CompletableFuture<Connection> accepted = CompletableFuture.supplyAsync(listener::accept);
            try (Connection c = Client.connect(listener.address(), KEY);
                 Connection server = accepted.get(10, TimeUnit.SECONDS)) {
                c.send("after");
                assertThat(server.recv()).isEqualTo("after");
            }
        }
    }

    @Test
    void aClientOfASilentListenerGivesUpAtItsDeadline() throws Exception {
        String previous = System.getProperty("multiprocessing4j.handshakeTimeoutMillis");
        System.setProperty("multiprocessing4j.handshakeTimeoutMillis", "300");
        try (ServerSocketChannel silent = ServerSocketChannel.open()) {
            silent.bind(new InetSocketAddress("127.0.0.1", 0));
            String address = Address.describe(silent.getLocalAddress());
            CompletableFuture<Throwable> connect = CompletableFuture.supplyAsync(() -> {
                try {
                    Client.connect(address, KEY).close();
                    return null;
                } catch (Throwable t) {
                    return t;
                }
            });
            try (SocketChannel accepted = silent.accept()) {
                assertThat(accepted.isConnected()).isTrue(); // and says nothing
                assertThat(connect.get(10, TimeUnit.SECONDS)).isInstanceOf(AuthenticationError.class)
                        .hasMessageContaining("within 300 ms");
            }
        } finally {
            if (previous == null) {
                System.clearProperty("multiprocessing4j.handshakeTimeoutMillis");
            } else {
                System.setProperty("multiprocessing4j.handshakeTimeoutMillis", previous);
            }
        }
    }

    /**
     * 20,000 peers that connect, read the challenge and leave (some after half a frame, some after a
     * wrong digest), as fast as the machine allows, against a {@code Listener} in a JVM of its own:
     * its RSS grows by less than 64 MiB, and it keeps no file descriptor and no thread of theirs.
     */
    @Test
    void twentyThousandUnauthenticatedConnectionsLeaveNoTrace() throws Exception {
        JavaDriver.Running server = JavaDriver.start(List.of(JavaDriver.java(),
                // a heap all touched from the start, no threads that come and go by themselves, and no C2
                // (whose compilations leave tens of MiB of malloc arenas), so that what grows is what the
                // connections left; direct memory may grow to 1 GiB, as it could in a default JVM
                "-XX:+UseSerialGC", "-Xms64m", "-Xmx1g", "-XX:+AlwaysPreTouch", "-XX:TieredStopAtLevel=1",
                "-XX:-UseDynamicNumberOfCompilerThreads", "-Dmultiprocessing4j.handshakeTimeoutMillis=2000",
                "-cp", JavaDriver.testClassPath(), ListenerDriver.class.getName(), new String(KEY, StandardCharsets.UTF_8)));
        try {
            String out = server.awaitOutput("address=", Duration.ofSeconds(30));
            String address = out.lines().filter(l -> l.startsWith("address=")).findFirst().orElseThrow()
                    .substring("address=".length());
            InetSocketAddress target = (InetSocketAddress) Address.parse(address).socket();
            long pid = server.pid();

            connectAndLeave(target, 100, Duration.ofSeconds(30)); // the classes of both paths loaded
            echo(address);
            Usage before = Usage.settled(pid, Long.MAX_VALUE, Long.MAX_VALUE);

            connectAndLeave(target, 20_000, Duration.ofSeconds(90));
            Usage after = Usage.settled(pid, before.fds, before.threads);

            assertThat(after.fds).as("file descriptors, before: " + before).isLessThanOrEqualTo(before.fds);
            assertThat(after.threads).as("threads, before: " + before).isLessThanOrEqualTo(before.threads);
            assertThat(after.rssKib - before.rssKib).as("RSS growth in KiB, before: " + before + ", after: " + after)
                    .isLessThan(64 * 1024);
            echo(address); // and it still serves
            server.process.getOutputStream().close();
            JavaDriver.Result r = server.await(Duration.ofSeconds(30));
            assertThat(r.status()).as(r.toString()).isZero();
        } finally {
            server.killTree();
        }
    }

    /**
     * {@code n} connections, two threads at a time, each reading the first byte of the challenge and
     * leaving with a reset; every 2nd sends half a frame header first, every 10th a wrong digest.
     */
    private static void connectAndLeave(InetSocketAddress target, int n, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        AtomicInteger next = new AtomicInteger();
        byte[] wrongDigest = ByteBuffer.allocate(5 + 32).putInt(32).put((byte) 'B').array();
        List<CompletableFuture<Void>> workers = new ArrayList<>();
        for (int w = 0; w < 2; w++) {
            workers.add(CompletableFuture.runAsync(() -> {
                for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                    if (System.nanoTime() - deadline > 0) {
                        throw new AssertionError("only " + i + " of " + n + " connections within " + within);
                    }
                    try (Socket s = new Socket()) {
                        s.connect(target, 5_000);
                        s.setSoTimeout(5_000);
                        s.setSoLinger(true, 0); // a reset, so that no TIME_WAIT is left on this side
                        OutputStream o = s.getOutputStream();
                        InputStream in = s.getInputStream();
                        if (in.read() < 0) {
                            throw new AssertionError("the server closed before its challenge");
                        }
                        if (i % 10 == 0) {
                            o.write(wrongDigest);
                        } else if (i % 2 == 0) {
                            o.write(new byte[] {0, 0});
                        }
                    } catch (IOException e) {
                        throw new AssertionError("connection " + i + ": " + e, e);
                    }
                }
            }));
        }
        for (CompletableFuture<Void> f : workers) {
            f.get(within.toSeconds() + 30, TimeUnit.SECONDS);
        }
    }

    private static void echo(String address) {
        try (Connection c = Client.connect(address, KEY)) {
            c.send("echo");
            assertThat(c.recv()).isEqualTo("echo");
        }
    }

    /** What a process holds, read from {@code /proc/<pid>}. */
    private record Usage(long rssKib, int fds, int threads) {
        static Usage of(long pid) throws IOException {
            Path proc = Path.of("/proc", Long.toString(pid));
            long rss = -1;
            int threads = -1;
            for (String line : Files.readAllLines(proc.resolve("status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = Long.parseLong(line.replaceAll("\\D", ""));
                } else if (line.startsWith("Threads:")) {
                    threads = Integer.parseInt(line.replaceAll("\\D", ""));
                }
            }
            int fds;
            try (var s = Files.list(proc.resolve("fd"))) {
                fds = (int) s.count();
            }
            return new Usage(rss, fds, threads);
        }

        /**
         * The usage once fds and threads are at most {@code fds} and {@code threads} and have stayed the
         * same for three looks 100 ms apart; or, after 15 s, whatever it is then.
         */
        static Usage settled(long pid, long fds, long threads) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            Usage last = of(pid);
            int same = 0;
            while (System.nanoTime() < deadline && same < 3) {
                Thread.sleep(100);
                Usage u = of(pid);
                same = u.fds == last.fds && u.threads == last.threads && u.fds <= fds && u.threads <= threads
                        ? same + 1 : 0;
                last = u;
            }
            return last;
        }
    }

    /**
     * {@code n} peers connected to {@code address} that never authenticate: half send nothing, half send
     * a frame header announcing 200 bytes and then one byte every 50 ms. All closed by {@link #close()}.
     */
    static final class Stallers implements AutoCloseable {
        private final List<SocketChannel> silent = new ArrayList<>();
        private final List<SocketChannel> trickling = new ArrayList<>();
        private final Thread trickle;
        private volatile boolean stop;

        private Stallers(String address, int n) throws IOException {
            Address a = Address.parse(address);
            try {
                for (int i = 0; i < n; i++) {
                    (i % 2 == 0 ? silent : trickling).add(a.connect());
                }
            } catch (IOException e) {
                closeAll();
                throw e;
            }
            trickle = new Thread(this::trickle, "trickle");
            trickle.setDaemon(true);
            trickle.start();
        }

        static Stallers open(String address, int n) throws IOException {
            return new Stallers(address, n);
        }

        private void trickle() {
            byte[] frame = ByteBuffer.allocate(5 + 200).putInt(200).put((byte) 'B').array();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            for (int at = 0; at < frame.length && !stop && System.nanoTime() < end; at++) {
                for (SocketChannel c : trickling) {
                    try {
                        c.write(ByteBuffer.wrap(frame, at, 1));
                    } catch (IOException closedByTheServer) {
                        // dropped at its deadline: fine
                    }
                }
                try {
                    Thread.sleep(50); // the pace of a slow peer, not a synchronisation
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        int size() {
            return silent.size() + trickling.size();
        }

        @Override
        public void close() {
            stop = true;
            trickle.interrupt();
            try {
                trickle.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            closeAll();
        }

        private void closeAll() {
            for (SocketChannel c : silent) {
                closeQuietly(c);
            }
            for (SocketChannel c : trickling) {
                closeQuietly(c);
            }
        }

        private static void closeQuietly(SocketChannel c) {
            try {
                c.close();
            } catch (IOException ignored) {
                // closing is all we wanted
            }
        }
    }
}
