package org.multiprocessing4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.multiprocessing4j.BaseManagerTest.Counter;
import org.multiprocessing4j.BaseManagerTest.CounterImpl;

/**
 * A manager's key is checked on every {@link BaseManager#connect}, whatever connections this JVM
 * already has to the address, and a wrong key disturbs no other client or proxy.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ManagerKeysTest {
    private static final byte[] KEY = "the manager's key".getBytes(StandardCharsets.UTF_8);
    private static final byte[] WRONG = "not the manager's key".getBytes(StandardCharsets.UTF_8);

    @Test
    void aWrongKeyFailsInConnectEveryTimeWhileTheRightProxyIsInUseAndDisturbsNothing() throws Exception {
        try (BaseManager m = new BaseManager("127.0.0.1:0", KEY)) {
            m.register("counter", CounterImpl::new, Counter.class);
            m.start();
            Counter c = m.create("counter", Counter.class);
            ExecutorService threads = Executors.newFixedThreadPool(4);
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger calls = new AtomicInteger();
            try {
                callAtOnce(threads, c, 4, 200); // this JVM now holds several connections authenticated with KEY

                Future<?> inUse = threads.submit(() -> {
                    while (!stop.get()) {
                        c.increment();
                        calls.incrementAndGet();
                    }
                    return null;
                });
                for (int i = 0; i < 10; i++) {
                    assertThatThrownBy(() -> BaseManager.connect(m.address(), WRONG))
                            .as("attempt %d with the wrong key", i + 1)
                            .isInstanceOf(AuthenticationError.class);
                }
                stop.set(true);
                inUse.get(30, TimeUnit.SECONDS); // a call that failed meanwhile fails the test here

                callAtOnce(threads, c, 4, 250); // 1,000 calls, on the pooled connections and new ones
                assertThat(c.get()).isEqualTo(800 + calls.get() + 1000);
            } finally {
                stop.set(true);
                threads.shutdownNow();
                assertThat(threads.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
            }
        }
    }

    /** Has {@code callers} threads increment {@code c} {@code each} times at once; fails with the first failure. */
    private static void callAtOnce(ExecutorService threads, Counter c, int callers, int each) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> fs = new ArrayList<>();
        for (int t = 0; t < callers; t++) {
            fs.add(threads.submit(() -> {
                go.await();
                for (int i = 0; i < each; i++) {
                    c.increment();
                }
                return null;
            }));
        }
        go.countDown();
        for (Future<?> f : fs) {
            f.get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aClientMadeBeforeAWrongAttemptAndOneMadeAfterItBothKeepWorking() {
        try (BaseManager m = new BaseManager("127.0.0.1:0", KEY)) {
            m.register("counter", CounterImpl::new, Counter.class);
            m.start();
            try (BaseManager before = BaseManager.connect(m.address(), KEY)) {
                Counter a = before.create("counter", Counter.class);
                a.increment();

                assertThatThrownBy(() -> BaseManager.connect(m.address(), WRONG))
                        .isInstanceOf(AuthenticationError.class);

                try (BaseManager after = BaseManager.connect(m.address(), KEY)) {
                    Counter b = after.create("counter", Counter.class);
                    for (int i = 0; i < 100; i++) {
                        a.increment();
                        b.increment();
                    }
                    assertThat(a.get()).isEqualTo(101);
                    assertThat(b.get()).isEqualTo(100);
                    assertThat(before.create("counter", Counter.class).increment()).isEqualTo(1);
                }
            }
        }
    }

    @Test
    void aClientConnectedWithTheRightKeyAfterWrongOnesWorks() {
        try (BaseManager m = new BaseManager("127.0.0.1:0", KEY)) {
            m.register("counter", CounterImpl::new, Counter.class);
            m.start();
            for (int i = 0; i < 3; i++) {
                assertThatThrownBy(() -> BaseManager.connect(m.address(), WRONG))
                        .isInstanceOf(AuthenticationError.class);
            }
            try (BaseManager client = BaseManager.connect(m.address(), KEY)) {
                Counter c = client.create("counter", Counter.class);
                for (int i = 0; i < 100; i++) {
                    c.increment();
                }
                assertThat(c.get()).isEqualTo(100);
            }
            assertThat(m.create("counter", Counter.class).increment()).isEqualTo(1);
        }
    }
}
