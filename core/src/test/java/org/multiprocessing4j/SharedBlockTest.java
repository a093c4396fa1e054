package org.multiprocessing4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.multiprocessing4j.internal.codec.Serialization;

/** The serialized form that all Shared* values and arrays share: each type comes back as itself. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SharedBlockTest {

    @Test
    void everyTypeRoundTripsAsItselfOnTheSameMemoryWithItsLockOrNone() throws Exception {
        List<AutoCloseable> made = List.of(Value.ofInt(1), Value.ofLong(2), Value.ofDouble(3.5),
                Value.ofBoolean(true), Array.ofInts(4, 5), Array.ofLongs(6L, 7L), Array.ofDoubles(0.5, 1.5),
                Array.ofBytes((byte) 8, (byte) 9), Value.rawInt(10), Array.rawBytes((byte) 11, (byte) 12));
        try {
            for (AutoCloseable original : made) {
                AutoCloseable copy = (AutoCloseable) Serialization.fromBytes(Serialization.toBytes(original, "v"));
                try {
                    assertThat(copy).isExactlyInstanceOf(original.getClass());
                    assertThat(copy.toString()).isEqualTo(original.toString());
                    assertThat(lockName(copy)).isEqualTo(lockName(original));
                } finally {
                    copy.close();
                }
            }
            SharedInt i = (SharedInt) made.get(0);
            SharedInt copy = (SharedInt) Serialization.fromBytes(Serialization.toBytes(i, "v"));
            copy.incrementAndGet();
            copy.close();
            assertThat(i.get()).isEqualTo(2);
        } finally {
            for (AutoCloseable c : made) {
                try {
                    c.close();
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }
        }
    }

    @Test
    void aRawOneSaysWhichFactoryMadeIt() {
        try (SharedLong l = Value.rawLong(0); SharedDoubleArray d = Array.rawDoubles(1)) {
            assertThatThrownBy(l::getLock).isInstanceOf(IllegalStateException.class)
                    .hasMessage("this SharedLong is raw (made by Value.rawLong): it has no lock");
            assertThatThrownBy(d::getLock).isInstanceOf(IllegalStateException.class)
                    .hasMessage("this SharedDoubleArray is raw (made by Array.rawDoubles): it has no lock");
        }
    }

    @Test
    void aClosedOneCannotBeSent() {
        SharedBoolean b = Value.rawBoolean(true);
        b.close();
        assertThatThrownBy(() -> Serialization.toBytes(b, "v"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("this SharedBoolean is closed");
    }

    /** The lock's segment name, or "raw". */
    private static String lockName(AutoCloseable shared) throws Exception {
        try {
            RLock lock = (RLock) shared.getClass().getMethod("getLock").invoke(shared);
            return lock.name();
        } catch (java.lang.reflect.InvocationTargetException e) {
            assertThat(e.getCause()).isInstanceOf(IllegalStateException.class);
            return "raw";
        }
    }
}
