package org.multiprocessing4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.multiprocessing4j.internal.codec.Serialization;
import org.multiprocessing4j.internal.track.ResourceTracker;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SharedMemoryTest {
    private static final Path SHM = Path.of("/dev/shm");

    private static Process process(String method, SerializableRunnable target) {
        return Multiprocessing.getContext(method).process(target);
    }

    /**
     * A name of the test's choosing, outside the {@code mp4j-} prefix: leak checks of other builds on
     * the same machine delete new {@code mp4j-} segments they cannot tell from their own, and the tests
     * with children run long enough to meet one. Such segments are tracked, and this build's leak check
     * finds them through the tracker.
     */
    static String testName(String what) {
        return "mp4jtest-" + what + "-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    }

    @ParameterizedTest
    @ValueSource(strings = {"spawn", "forkserver"})
    void aChildAttachesByNameAndWritesAndThenParentReadsAndTheSegmentOutlivesTheChild(String method) {
        try (SharedMemory shm = SharedMemory.create(testName("attach"), 64)) {
            String name = shm.name();
            Process p = process(method, () -> {
                try (SharedMemory same = SharedMemory.attach(name)) {
                    ByteBuffer b = same.buffer();
                    b.putLong(0, b.getLong(8) + 1);
                    b.position(16);
                    b.put("from the child".getBytes(StandardCharsets.UTF_8));
                }
            });
            shm.buffer().putLong(8, 41);
            p.start();
            p.join();
            assertThat(p.exitCode()).isZero();
            assertThat(shm.buffer().getLong(0)).isEqualTo(42);
            byte[] text = new byte[14];
            shm.buffer().get(16, text);
            assertThat(new String(text, StandardCharsets.UTF_8)).isEqualTo("from the child");

            // The child only attached: its exit destroyed nothing, and the creator still tracks it.
            assertThat(SHM.resolve(name)).exists();
            assertThat(ResourceTracker.registered()).contains(name);
            try (SharedMemory again = SharedMemory.attach(name)) {
                assertThat(again.buffer().getLong(0)).isEqualTo(42);
            }
            shm.unlink();
            assertThat(ResourceTracker.registered()).doesNotContain(name);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"spawn", "forkserver"})
    void aSharedMemoryCapturedInATargetOrSentThroughAQueueIsTheSameSegmentInTheChild(String method) throws Exception {
        try (SharedMemory captured = SharedMemory.create(testName("captured"), 16);
             SharedMemory sent = SharedMemory.create(testName("sent"), 16);
             Queue<SharedMemory> in = new Queue<>(); Queue<String> out = new Queue<>()) {
            Process p = process(method, () -> {
                captured.buffer().putInt(0, 1234);
                SharedMemory received = in.get();
                received.buffer().putInt(0, 5678);
                out.put(received.toString() + " " + captured.name());
            });
            p.start();
            in.put(sent);
            assertThat(out.get()).isEqualTo("SharedMemory('" + sent.name() + "', size=16) " + captured.name());
            p.join();
            assertThat(p.exitCode()).isZero();
            assertThat(captured.buffer().getInt(0)).isEqualTo(1234);
            assertThat(sent.buffer().getInt(0)).isEqualTo(5678);
            assertThat(SHM.resolve(captured.name())).exists();
            assertThat(SHM.resolve(sent.name())).exists();
            captured.unlink();
            sent.unlink();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"spawn", "forkserver"})
    void aSegmentCreatedInAChildIsRegisteredWithTheMainProcessTreeAndOutlivesTheChild(String method) {
        String name = testName("in-child");
        try (Queue<String> out = new Queue<>()) {
            Process p = process(method, () -> {
                SharedMemory shm = SharedMemory.create(name, 32);
                shm.buffer().putLong(0, 99);
                out.put(shm.name());
                shm.close(); // detaches only
            });
            p.start();
            assertThat(out.get()).isEqualTo(name);
            p.join();
            assertThat(p.exitCode()).isZero();
            assertThat(ResourceTracker.registered()).as("registered by the child with this JVM's tree").contains(name);
            try (SharedMemory shm = SharedMemory.attach(name)) {
                assertThat(shm.buffer().getLong(0)).isEqualTo(99);
                shm.unlink(); // unregisters, though this JVM did not create it
            }
            assertThat(ResourceTracker.registered()).doesNotContain(name);
            assertThat(SHM.resolve(name)).doesNotExist();
        }
    }

    @Test
    void badSizesAndNamesFailClearly() {
        assertThatThrownBy(() -> SharedMemory.create(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("positive size").hasMessageContaining("0");
        assertThatThrownBy(() -> SharedMemory.create(-5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("positive size").hasMessageContaining("-5");
        assertThatThrownBy(() -> SharedMemory.create(1L << 31)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at most");
        String unknown = testName("unknown");
        assertThatThrownBy(() -> SharedMemory.attach(unknown)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no shared-memory segment named '" + unknown + "'");
        assertThatThrownBy(() -> SharedMemory.create("a/b", 8)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'a/b'");
        assertThatThrownBy(() -> SharedMemory.create("..", 8)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a shared-memory segment name");
        assertThatThrownBy(() -> SharedMemory.attach(null)).isInstanceOf(IllegalArgumentException.class);
        try (SharedMemory shm = SharedMemory.create(testName("exists"), 8)) {
            assertThatThrownBy(() -> SharedMemory.create(shm.name(), 8)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'" + shm.name() + "' already exists");
            assertThatThrownBy(() -> SharedMemory.create("/" + shm.name(), 8, false))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already exists");
            shm.unlink();
        }
    }

    @Test
    void aNameOfTheTestsChoosingWithOrWithoutALeadingSlash() {
        String name = testName("named");
        try (SharedMemory shm = SharedMemory.create(name, 100)) {
            assertThat(shm.name()).isEqualTo(name);
            assertThat(shm.size()).isEqualTo(100);
            assertThat(SHM.resolve(name)).exists();
            try (SharedMemory same = SharedMemory.attach("/" + name)) {
                assertThat(same.name()).isEqualTo(name);
                assertThat(same.size()).isEqualTo(100);
            }
            assertThat(shm.toString()).isEqualTo("SharedMemory('" + name + "', size=100)");
            shm.unlink();
        }
        try (SharedMemory generated = SharedMemory.create(1)) {
            assertThat(generated.name()).matches("mp4j-[0-9a-f]{16}");
            generated.unlink();
        }
    }

    @Test
    void buffersAreFreshBigEndianViewsOfTheWholeSegment() {
        try (SharedMemory shm = SharedMemory.create(24)) {
            ByteBuffer a = shm.buffer();
            ByteBuffer b = shm.buffer();
            assertThat(a).isNotSameAs(b);
            assertThat(a.order()).isEqualTo(ByteOrder.BIG_ENDIAN);
            assertThat(a.position()).isZero();
            assertThat(a.limit()).isEqualTo(24);
            assertThat(a.capacity()).isEqualTo(24);
            assertThat(a.isDirect()).isTrue();
            a.putInt(0x01020304); // moves a's position only
            assertThat(a.position()).isEqualTo(4);
            assertThat(b.position()).isZero();
            assertThat(b.get(0)).isEqualTo((byte) 1);
            assertThat(shm.buffer().order(ByteOrder.LITTLE_ENDIAN).getInt(0)).isEqualTo(0x04030201);
            assertThat(shm.buffer().order()).as("each view starts big-endian").isEqualTo(ByteOrder.BIG_ENDIAN);
            shm.unlink();
        }
    }

    @Test
    void closeDetachesOnlyThisHandleAndUnlinkDestroysTheName() {
        SharedMemory shm = SharedMemory.create(16);
        String name = shm.name();
        ByteBuffer before = shm.buffer();
        SharedMemory other = SharedMemory.attach(name);
        shm.close();
        shm.close(); // twice is allowed
        assertThat(shm.isClosed()).isTrue();
        assertThatThrownBy(shm::buffer).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed")
                .hasMessageContaining(name);
        before.putInt(0, 77); // a view taken before close stays usable
        assertThat(other.buffer().getInt(0)).isEqualTo(77);
        assertThat(SHM.resolve(name)).as("close does not destroy").exists();

        shm.unlink(); // allowed on a closed handle
        assertThat(SHM.resolve(name)).doesNotExist();
        assertThatThrownBy(() -> SharedMemory.attach(name)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no shared-memory segment named");
        other.buffer().putInt(4, 88); // mappings stay valid after unlink
        assertThat(before.getInt(4)).isEqualTo(88);
        other.unlink(); // already gone: no error
        other.close();

        try (SharedMemory reborn = SharedMemory.create(name, 8)) { // the name is free again
            assertThat(reborn.buffer().getLong(0)).isZero();
            reborn.unlink();
        }
    }

    @Test
    void anUntrackedSegmentIsNotRegistered() {
        String name = testName("untracked");
        try (SharedMemory shm = SharedMemory.create(name, 8, false)) {
            assertThat(ResourceTracker.registered()).doesNotContain(name);
            shm.unlink();
        }
        try (SharedMemory shm = SharedMemory.create(null, 8, false)) {
            assertThat(shm.name()).startsWith("mp4j-");
            assertThat(ResourceTracker.registered()).doesNotContain(shm.name());
            shm.unlink();
        }
        try (SharedMemory shm = SharedMemory.create(8)) {
            assertThat(ResourceTracker.registered()).contains(shm.name());
            shm.unlink();
        }
    }

    @Test
    void aHandleSerializesAsItsNameAndTheReceiverAttaches() throws Exception {
        try (SharedMemory shm = SharedMemory.create(8)) {
            shm.buffer().putLong(0, 5);
            byte[] bytes = Serialization.toBytes(shm, "shm");
            assertThat(bytes.length).isLessThan(300);
            try (SharedMemory copy = (SharedMemory) Serialization.fromBytes(bytes)) {
                assertThat(copy).isNotSameAs(shm);
                assertThat(copy.name()).isEqualTo(shm.name());
                assertThat(copy.buffer().getLong(0)).isEqualTo(5);
            }
            shm.unlink();
            assertThatThrownBy(() -> Serialization.fromBytes(bytes)).hasStackTraceContaining("no shared-memory segment named");
        }
    }
}
