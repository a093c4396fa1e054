package org.multiprocessing4j.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.multiprocessing4j.AuthenticationError;
import org.multiprocessing4j.EOFError;
import org.multiprocessing4j.testing.Await;

/** The pool under the queue and manager clients, against an echoing {@link AuthServer} on a Unix socket. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ConnectionPoolTest {
    private static final byte[] KEY = "the pool's key".getBytes(StandardCharsets.UTF_8);
    private static final byte[] OTHER_KEY = "another key".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;
    private AuthServer server;
    /** The server's side of each connection, in the order they arrived. */
    private final BlockingQueue<SocketTransport> served = new LinkedBlockingQueue<>();
    private final ConnectionPool.Registry<EchoPool> registry = new ConnectionPool.Registry<>(EchoPool::new);

    /** A pool of plain transports that counts the connections it opens. */
    static final class EchoPool extends ConnectionPool<SocketTransport> {
        final AtomicInteger opened = new AtomicInteger();

        EchoPool(Endpoint endpoint) {
            super(endpoint);
        }

        @Override
        protected SocketTransport open() {
            SocketTransport t = Dial.connect(address(), endpoint().authkey());
            opened.incrementAndGet();
            return t;
        }

        @Override
        protected SocketTransport transport(SocketTransport c) {
            return c;
        }

        @Override
        protected RuntimeException closedWhileOpening() {
            return new IllegalStateException("the pool is closed");
        }

        /** One round trip as the clients make it: given back when it finished, discarded when not. */
        String call(String request) {
            SocketTransport c = take();
            boolean done = false;
            try {
                RawFrames.send(c, request.getBytes(StandardCharsets.UTF_8));
                String reply = new String(RawFrames.recv(c), StandardCharsets.UTF_8);
                done = true;
                return reply;
            } finally {
                if (done) {
                    giveBack(c);
                } else {
                    discard(c);
                }
            }
        }
    }

    @BeforeEach
    void startServer() {
        server = AuthServer.serve("unix:" + dir.resolve("echo.sock"), KEY, "test-echo-accept", "test-echo", peer -> {
            served.add(peer);
            try {
                while (true) {
                    RawFrames.send(peer, RawFrames.recv(peer));
                }
            } catch (EOFError | IllegalStateException gone) {
                // the client closed the connection, or the server did
            }
        });
    }

    @AfterEach
    void stopServer() {
        registry.pools().values().forEach(ConnectionPool::close);
        server.close();
    }

    private EchoPool pool(byte[] key) {
        return registry.of(new Endpoint(server.address(), key));
    }

    @Test
    void aConnectionGivenBackIsTheNextCallersAndTheServerSeesOneClient() throws Exception {
        EchoPool pool = pool(KEY);
        assertThat(pool.call("one")).isEqualTo("one");
        assertThat(pool.call("two")).isEqualTo("two");
        assertThat(pool.opened).hasValue(1);
        assertThat(served.poll(10, TimeUnit.SECONDS)).isNotNull();
        assertThat(served).isEmpty();
    }

    @Test
    void aSecondTakerWhileTheFirstHoldsItsConnectionGetsANewOne() {
        EchoPool pool = pool(KEY);
        SocketTransport first = pool.take();
        SocketTransport second = pool.take();
        assertThat(second).isNotSameAs(first);
        assertThat(pool.opened).hasValue(2);
        pool.giveBack(second);
        pool.giveBack(first);
        assertThat(pool.take()).as("the one given back last").isSameAs(first);
    }

    @Test
    void aConnectionWhosePeerIsGoneIsDiscardedAndTheNextCallConnectsAnew() throws Exception {
        EchoPool pool = pool(KEY);
        assertThat(pool.call("before")).isEqualTo("before");
        SocketTransport broken = pool.take();
        pool.giveBack(broken);
        served.poll(10, TimeUnit.SECONDS).close(); // the server's side of it
        assertThatThrownBy(() -> pool.call("lost")).isInstanceOf(EOFError.class);
        assertThat(broken.isClosed()).as("discarded: closed").isTrue();
        assertThat(pool.call("after")).isEqualTo("after");
        assertThat(pool.opened).hasValue(2);
        SocketTransport next = pool.take();
        assertThat(next).isNotSameAs(broken);
        pool.giveBack(next);
    }

    @Test
    void closeClosesTheConnectionsInUseAndAGiveBackAfterItClosesTheConnection() {
        EchoPool pool = pool(KEY);
        SocketTransport inUse = pool.take();
        pool.close();
        assertThat(inUse.isClosed()).isTrue();
        pool.giveBack(inUse);
        assertThat(pool.isEmpty()).isTrue();
        assertThatThrownBy(pool::take).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void twoKeysAtOneAddressHaveSeparatePoolsAndForgettingTheAddressDropsBoth() throws Exception {
        EchoPool right = pool(KEY);
        EchoPool wrong = pool(OTHER_KEY);
        assertThat(wrong).isNotSameAs(right);
        assertThat(pool(KEY.clone())).as("the same key in another array").isSameAs(right);

        assertThat(right.call("x")).isEqualTo("x");
        assertThatThrownBy(() -> wrong.call("y")).isInstanceOf(AuthenticationError.class);
        assertThat(right.call("z")).as("the right key's connection is untouched").isEqualTo("z");
        assertThat(right.opened).hasValue(1);

        SocketTransport idle = right.take();
        right.giveBack(idle);
        registry.forget(server.address(), ConnectionPool::closeIdle);
        assertThat(idle.isClosed()).isTrue();
        assertThat(pool(KEY)).as("a new pool after the address was forgotten").isNotSameAs(right);
        assertThat(registry.pools()).hasSize(1);
    }

    @Test
    void closingTheServerClosesThePeersInSession() throws Exception {
        EchoPool pool = pool(KEY);
        assertThat(pool.call("hello")).isEqualTo("hello");
        SocketTransport peer = served.poll(10, TimeUnit.SECONDS);
        server.close();
        Await.until(Duration.ofSeconds(10), peer::isClosed, "the server's side to be closed");
        assertThatThrownBy(() -> pool.call("anyone?")).isInstanceOf(EOFError.class);
    }
}
