package org.multiprocessing4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BaseManagerTest {
    private static final byte[] KEY = "a key for the tests".getBytes(StandardCharsets.UTF_8);

    /** The interface of a registered type. */
    public interface Counter {
        int increment();

        int get();

        void reset();

        Iterator<Integer> history();

        void failDeclared(String message) throws IOException;

        void failUndeclared(String message);

        void failUnchecked(String message);
    }

    /** The object behind it, in the manager's process; called from several threads at once. */
    public static final class CounterImpl implements Counter {
        private final List<Integer> history = new ArrayList<>();
        private int value;

        @Override
        public synchronized int increment() {
            history.add(++value);
            return value;
        }

        @Override
        public synchronized int get() {
            return value;
        }

        @Override
        public synchronized void reset() {
            value = 0;
        }

        @Override
        public synchronized Iterator<Integer> history() {
            return history.iterator();
        }

        @Override
        public void failDeclared(String message) throws IOException {
            throw new IOException(message);
        }

        @Override
        public void failUndeclared(String message) {
            BaseManagerTest.<RuntimeException>sneakyThrow(new Exception(message));
        }

        @Override
        public void failUnchecked(String message) {
            throw new IllegalStateException(message);
        }
    }

    @SuppressWarnings("unchecked")
    static <T extends Throwable> void sneakyThrow(Throwable t) throws T {
        throw (T) t;
    }

    @Test
    void aRegisteredTypeIsSharedByChildrenAndOnlyItsExposedMethodsCanBeCalled() {
        try (BaseManager m = new BaseManager()) {
            m.register("counter", CounterImpl::new, Counter.class, "increment", "get", "history");
            m.start();
            Counter c = m.create("counter", Counter.class);
            List<Process> ps = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Process p = new Process(() -> {
                    for (int k = 0; k < 50; k++) {
                        c.increment();
                    }
                });
                p.start();
                ps.add(p);
            }
            for (Process p : ps) {
                p.join();
                assertThat(p.exitCode()).isZero();
            }
            assertThat(c.get()).isEqualTo(150);
            assertThatThrownBy(c::reset).isInstanceOf(RemoteException.class).hasMessageContaining("not exposed");
            assertThat(c.get()).isEqualTo(150);
        }
    }

    @Test
    void aMethodThatReturnsAnIteratorReturnsAProxyToTheManagersIterator() {
        try (BaseManager m = new BaseManager()) {
            m.register("counter", CounterImpl::new, Counter.class);
            m.start();
            Counter c = m.create("counter", Counter.class);
            c.increment();
            c.increment();
            Iterator<Integer> it = c.history();
            List<Integer> seen = new ArrayList<>();
            it.forEachRemaining(seen::add);
            assertThat(seen).containsExactly(1, 2);
            assertThat(it.toString()).contains("Itr"); // the manager's own iterator
        }
    }

    @Test
    void exceptionsKeepTheirTypeWhereTheMethodAllowsIt() {
        try (BaseManager m = new BaseManager()) {
            m.register("counter", CounterImpl::new, Counter.class);
            m.start();
            Counter c = m.create("counter", Counter.class);
            assertThatThrownBy(() -> c.failDeclared("declared")).isExactlyInstanceOf(IOException.class)
                    .hasMessage("declared");
            assertThatThrownBy(() -> c.failUnchecked("unchecked")).isExactlyInstanceOf(IllegalStateException.class)
                    .hasMessage("unchecked");
            assertThatThrownBy(() -> c.failUndeclared("undeclared")).isInstanceOf(RemoteException.class)
                    .hasCauseExactlyInstanceOf(Exception.class)
                    .satisfies(e -> assertThat(((RemoteException) e).remoteType()).isEqualTo("java.lang.Exception"));
        }
    }

    @Test
    void aRemoteManagerOnLoopbackIsUsedByAChildThatConnectsWithTheKey() throws Exception {
        try (BaseManager m = new BaseManager("127.0.0.1:0", KEY); Queue<Object> out = new Queue<>()) {
            m.register("counter", CounterImpl::new, Counter.class);
            m.start();
            String address = m.address();
            assertThat(address).startsWith("127.0.0.1:").doesNotEndWith(":0");
            Counter mine = m.create("counter", Counter.class);
            mine.increment();
            Process p = new Process(() -> {
                try (BaseManager client = BaseManager.connect(address, KEY)) {
                    Counter c = client.create("counter", Counter.class);
                    c.increment();
                    c.increment();
                    out.put(c.get());
                }
                out.put(mine.increment()); // a proxy handed over in the bootstrap carries the manager's key
            });
            p.start();
            assertThat(out.get(Duration.ofSeconds(60))).isEqualTo(2);
            assertThat(out.get(Duration.ofSeconds(60))).isEqualTo(2);
            p.join();
            assertThat(p.exitCode()).isZero();
            assertThat(mine.get()).isEqualTo(2);
        }
    }

    @Test
    void connectingWithTheWrongKeyFailsInConnect() {
        try (BaseManager m = new BaseManager("127.0.0.1:0", KEY)) {
            m.start();
            assertThatThrownBy(() -> BaseManager.connect(m.address(), "wrong".getBytes(StandardCharsets.UTF_8)))
                    .isInstanceOf(AuthenticationError.class);
            try (BaseManager ok = BaseManager.connect(m.address(), KEY)) {
                assertThat(ok.address()).isEqualTo(m.address());
            }
        }
    }

    @Test
    void connectingWhereNothingListensIsEOFError() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            port = s.getLocalPort();
        }
        assertThatThrownBy(() -> BaseManager.connect("127.0.0.1:" + port, KEY)).isInstanceOf(EOFError.class)
                .hasMessageContaining("127.0.0.1:" + port);
    }

    @Test
    void aNewManagerBindsTheSamePortRightAfterShutdown() {
        String address;
        try (BaseManager m = new BaseManager("127.0.0.1:0", KEY)) {
            m.register("counter", CounterImpl::new, Counter.class);
            m.start();
            address = m.address();
            Counter c = m.create("counter", Counter.class);
            c.increment(); // a connection that was in use, so that the port has been busy
        }
        try (BaseManager again = new BaseManager(address, KEY)) {
            again.register("counter", CounterImpl::new, Counter.class);
            again.start();
            assertThat(again.address()).isEqualTo(address);
            assertThat(again.create("counter", Counter.class).increment()).isEqualTo(1);
        }
    }

    @Test
    void aManagerThatCannotBindFailsInStart() throws IOException {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("127.0.0.1", 0));
            BaseManager m = new BaseManager("127.0.0.1:" + taken.getLocalPort(), KEY);
            assertThatThrownBy(m::start).isInstanceOf(ProcessError.class).hasMessageContaining("could not start");
            m.close();
        }
    }

    @Test
    void registrationIsCheckedAtTheCall() {
        try (BaseManager m = new BaseManager()) {
            Object notSerializable = new Object();
            assertThatThrownBy(() -> m.register("x", () -> new CounterImpl(), CounterImpl.class))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not an interface");
            assertThatThrownBy(() -> m.register("x", CounterImpl::new, Counter.class, "nope"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nope");
            assertThatThrownBy(() -> m.register("x", () -> notSerializable.hashCode() > 0 ? new CounterImpl() : null,
                    Counter.class)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("java.lang.Object");
            m.register("x", CounterImpl::new, Counter.class);
            assertThatThrownBy(() -> m.register("x", CounterImpl::new, Counter.class))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> m.create("x", Counter.class)).isInstanceOf(IllegalStateException.class);
            m.start();
            assertThatThrownBy(() -> m.register("y", CounterImpl::new, Counter.class))
                    .isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> m.create("nope", Counter.class)).isInstanceOf(RemoteException.class)
                    .hasMessageContaining("nope");
        }
    }
}
