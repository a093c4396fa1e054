package org.multiprocessing4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.multiprocessing4j.internal.codec.Serialization;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ValueTest {

    /** Starts {@code n} processes running {@code target}, joins them, and checks that each exited with 0. */
    static void runAll(int n, SerializableRunnable target) {
        List<Process> ps = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Process p = new Process(target);
            ps.add(p);
            p.start();
        }
        for (Process p : ps) {
            p.join();
            assertThat(p.exitCode()).as("exit code of " + p.name()).isZero();
        }
    }

    /**
     * As {@link #runAll}, but the processes begin {@code target} together: each waits until all of them
     * have started, so that they really overlap.
     */
    static void runTogether(int n, SerializableRunnable target) {
        try (SharedInt ready = Value.rawInt(0); Event go = new Event()) {
            runAll(n, () -> {
                if (ready.incrementAndGet() == n) {
                    go.set();
                }
                go.await();
                target.run();
            });
        }
    }

    @Test
    void eightProcessesIncrementingUnderTheLockCountEveryIncrement() {
        try (SharedInt v = Value.ofInt(0)) {
            runTogether(8, () -> {
                for (int i = 0; i < 10_000; i++) {
                    v.getLock().acquire();
                    try {
                        v.set(v.get() + 1);
                    } finally {
                        v.getLock().release();
                    }
                }
            });
            assertThat(v.get()).isEqualTo(80_000);
            assertThat(v.getLock().isLocked()).isFalse();
        }
    }

    @Test
    void atomicIncrementsFromFourProcessesAreExactWithoutTheLock() {
        try (SharedInt i = Value.rawInt(0); SharedLong l = Value.rawLong(1L << 40)) {
            runTogether(4, () -> {
                for (int k = 0; k < 10_000; k++) {
                    i.incrementAndGet();
                    l.addAndGet(3);
                }
            });
            assertThat(i.get()).isEqualTo(40_000);
            assertThat(l.get()).isEqualTo((1L << 40) + 120_000);
        }
    }

    @Test
    void doubleAdditionsFromTwoProcessesAreExact() {
        try (SharedDouble d = Value.ofDouble(0.0)) {
            runTogether(2, () -> {
                for (int k = 0; k < 10_000; k++) {
                    d.addAndGet(0.5); // every partial sum is exact in binary
                }
            });
            assertThat(d.get()).isEqualTo(10_000.0);
        }
    }

    @Test
    void whatAChildWritesTheParentReads() {
        try (SharedInt i = Value.ofInt(1); SharedLong l = Value.rawLong(2); SharedDouble d = Value.ofDouble(3.0);
                SharedBoolean b = Value.ofBoolean(false)) {
            runAll(1, () -> {
                i.set(i.get() * 42);
                l.set(Long.MIN_VALUE);
                d.set(d.get() / 4);
                b.set(true);
            });
            assertThat(i.get()).isEqualTo(42);
            assertThat(l.get()).isEqualTo(Long.MIN_VALUE);
            assertThat(d.get()).isEqualTo(0.75);
            assertThat(b.get()).isTrue();
        }
    }

    @Test
    void aValueSentThroughAQueueIsTheSameValueInTheChild() throws Exception {
        Queue<Object> in = new Queue<>();
        Queue<String> out = new Queue<>();
        try (SharedInt v = Value.ofInt(10)) {
            Process p = new Process(() -> {
                SharedInt got = (SharedInt) in.get();
                got.getLock().acquire();
                try {
                    got.set(got.get() + 5);
                } finally {
                    got.getLock().release();
                }
                out.put(got.toString());
            });
            p.start();
            in.put(v);
            assertThat(out.get()).isEqualTo("SharedInt(15)");
            p.join();
            assertThat(p.exitCode()).isZero();
            assertThat(v.get()).isEqualTo(15);
        }
    }

    @Test
    void theLockIsTheSameInEveryProcessAndReentrant() throws Exception {
        Queue<Boolean> out = new Queue<>();
        try (SharedLong v = Value.ofLong(0)) {
            RLock lock = v.getLock();
            lock.acquire();
            lock.acquire(); // an RLock, as in Python
            try {
                runAll(1, () -> out.put(v.getLock().acquire(Duration.ZERO)));
                assertThat(out.get()).as("the child could take the lock the parent holds").isFalse();
            } finally {
                lock.release();
                lock.release();
            }
            assertThat(lock.isLocked()).isFalse();
        }
    }

    @Test
    void rawValuesHaveNoLockAndStillCrossProcesses() {
        try (SharedInt i = Value.rawInt(7); SharedDouble d = Value.rawDouble(1.5); SharedBoolean b = Value.rawBoolean(true);
                SharedLong l = Value.rawLong(-1)) {
            assertThatThrownBy(i::getLock).isInstanceOf(IllegalStateException.class)
                    .hasMessage("this SharedInt is raw (made by Value.rawInt): it has no lock");
            assertThatThrownBy(d::getLock).isInstanceOf(IllegalStateException.class).hasMessageContaining("raw");
            assertThatThrownBy(b::getLock).isInstanceOf(IllegalStateException.class).hasMessageContaining("raw");
            assertThatThrownBy(l::getLock).isInstanceOf(IllegalStateException.class).hasMessageContaining("raw");
            runAll(1, () -> {
                i.incrementAndGet();
                d.addAndGet(1.0);
                b.set(false);
                l.decrementAndGet();
            });
            assertThat(i.get()).isEqualTo(8);
            assertThat(d.get()).isEqualTo(2.5);
            assertThat(b.get()).isFalse();
            assertThat(l.get()).isEqualTo(-2);
        }
    }

    @Test
    void initialValuesAndToString() {
        try (SharedInt i = Value.ofInt(5); SharedLong l = Value.ofLong(Long.MAX_VALUE); SharedDouble d = Value.ofDouble(-0.0);
                SharedBoolean b = Value.ofBoolean(true); SharedInt zero = Value.rawInt(0)) {
            assertThat(i.get()).isEqualTo(5);
            assertThat(l.get()).isEqualTo(Long.MAX_VALUE);
            assertThat(Double.doubleToRawLongBits(d.get())).isEqualTo(Double.doubleToRawLongBits(-0.0));
            assertThat(b.get()).isTrue();
            assertThat(zero.get()).isZero();
            assertThat(i).hasToString("SharedInt(5)");
            assertThat(l).hasToString("SharedLong(" + Long.MAX_VALUE + ")");
            assertThat(d).hasToString("SharedDouble(-0.0)");
            assertThat(b).hasToString("SharedBoolean(true)");
        }
    }

    @Test
    void atomicMethodsInOneProcess() {
        try (SharedInt i = Value.rawInt(Integer.MAX_VALUE); SharedLong l = Value.rawLong(10);
                SharedDouble d = Value.rawDouble(0.0); SharedBoolean b = Value.rawBoolean(false)) {
            assertThat(i.incrementAndGet()).isEqualTo(Integer.MIN_VALUE); // wraps like int arithmetic
            assertThat(i.decrementAndGet()).isEqualTo(Integer.MAX_VALUE);
            assertThat(i.compareAndSet(0, 1)).isFalse();
            assertThat(i.compareAndSet(Integer.MAX_VALUE, 3)).isTrue();
            assertThat(i.getAndAdd(4)).isEqualTo(3);
            assertThat(i.addAndGet(-7)).isZero();
            assertThat(i.getAndSet(9)).isZero();
            assertThat(i.get()).isEqualTo(9);

            assertThat(l.getAndAdd(5)).isEqualTo(10);
            assertThat(l.compareAndSet(15, 20)).isTrue();
            assertThat(l.getAndSet(1)).isEqualTo(20);
            assertThat(l.incrementAndGet()).isEqualTo(2);

            assertThat(d.compareAndSet(-0.0, 1.0)).as("by bits: -0.0 is not 0.0").isFalse();
            assertThat(d.compareAndSet(0.0, Double.NaN)).isTrue();
            assertThat(d.compareAndSet(Double.NaN, 2.0)).as("by bits: NaN matches the same NaN").isTrue();
            assertThat(d.getAndAdd(0.25)).isEqualTo(2.0);
            assertThat(d.addAndGet(0.25)).isEqualTo(2.5);

            assertThat(b.compareAndSet(true, false)).isFalse();
            assertThat(b.compareAndSet(false, true)).isTrue();
            assertThat(b.getAndSet(false)).isTrue();
            assertThat(b.get()).isFalse();
        }
    }

    @Test
    void aClosedHandleRefusesEverythingButCloseAndToString() {
        SharedInt v = Value.ofInt(3);
        RLock lock = v.getLock();
        v.close();
        v.close(); // twice is allowed
        assertThat(v).hasToString("SharedInt(closed)");
        assertThatThrownBy(v::get).isInstanceOf(IllegalStateException.class).hasMessage("this SharedInt is closed");
        assertThatThrownBy(() -> v.set(1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(v::incrementAndGet).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(v::getLock).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(lock::acquire).as("its lock is closed with it").isInstanceOf(IllegalStateException.class);
        Process p = new Process(() -> v.get());
        assertThatThrownBy(p::start).as("a closed value cannot be sent")
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("this SharedInt is closed");

        SharedDouble d = Value.rawDouble(1);
        d.close();
        assertThatThrownBy(d::get).isInstanceOf(IllegalStateException.class).hasMessage("this SharedDouble is closed");
        assertThat(d).hasToString("SharedDouble(closed)");
    }

    @Test
    void whenTheCreatorClosesAValueAHandleSentEarlierCannotAttachButAttachedOnesKeepWorking() throws Exception {
        SharedInt v = Value.ofInt(1);
        byte[] sent = Serialization.toBytes(v, "v");
        SharedInt attached = (SharedInt) Serialization.fromBytes(sent);
        v.close();
        assertThatThrownBy(() -> Serialization.fromBytes(sent)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no longer exists");
        attached.set(2); // the mapping stays valid
        attached.getLock().acquire();
        attached.getLock().release();
        assertThat(attached.get()).isEqualTo(2);
        attached.close(); // a receiver's close unlinks nothing
        assertThat(attached).hasToString("SharedInt(closed)");
    }

    @Test
    @SuppressWarnings("try") // the child closes its own copy of the handle, which is the point
    void aReceiversCloseEndsOnlyItsOwnHandle() {
        try (SharedInt v = Value.ofInt(0)) {
            runAll(1, () -> {
                v.incrementAndGet();
                v.close();
            });
            runAll(1, v::incrementAndGet); // a later process still attaches
            assertThat(v.incrementAndGet()).isEqualTo(3);
        }
    }
}
