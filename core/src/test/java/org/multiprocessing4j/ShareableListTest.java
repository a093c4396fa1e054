package org.multiprocessing4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.RandomAccess;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ShareableListTest {

    private static List<Object> everyType() {
        return Arrays.asList(7, 7_000_000_000L, 2.5, true, "héllo ✓", new byte[] {1, 0, 2, 0, 0}, null, "",
                new byte[0], Integer.MIN_VALUE, Long.MAX_VALUE, Double.NaN, false);
    }

    @Test
    void everySupportedTypeRoundTripsIncludingNullAndTrailingZeroBytes() {
        List<Object> values = everyType();
        try (ShareableList list = ShareableList.create(values)) {
            assertThat(list).hasSize(values.size()).isInstanceOf(RandomAccess.class);
            assertThat(list.name()).startsWith("mp4j-");
            assertThat(list.shm().name()).isEqualTo(list.name());
            for (int i = 0; i < values.size(); i++) {
                Object expected = values.get(i);
                Object actual = list.get(i);
                if (expected instanceof byte[]) {
                    assertThat(actual).isInstanceOf(byte[].class).isEqualTo(expected).isNotSameAs(expected);
                } else {
                    assertThat(actual).as("item %d", i).isEqualTo(expected);
                    if (expected != null) {
                        assertThat(actual).hasSameClassAs(expected);
                    }
                }
            }
            try (ShareableList same = ShareableList.attach(list.name())) {
                assertThat(same).hasSize(values.size());
                assertThat(same.get(4)).isEqualTo("héllo ✓");
                same.set(0, 8);
                assertThat(list.get(0)).isEqualTo(8);
            }
            assertThat(list.toString()).startsWith("ShareableList([8, 7000000000, 2.5, true, 'héllo ✓', [1, 0, 2, 0, 0], null, ''")
                    .endsWith("], name='" + list.name() + "')");
            list.unlink();
        }
        try (ShareableList empty = ShareableList.create(List.of())) {
            assertThat(empty).isEmpty();
            assertThat(ShareableList.attach(empty.name())).isEmpty();
            empty.unlink();
        }
    }

    @Test
    void setFollowsPythonsRulesAStringOrBytesMustFitItsSlotAndTypesMayChange() {
        try (ShareableList list = ShareableList.create(Arrays.asList("abcdefgh", "abcdefghi", 1, null, ""))) {
            // slots: 8, 16, 8, 8, 8 bytes
            assertThat(list.set(0, "12345678")).isEqualTo("abcdefgh");
            assertThatThrownBy(() -> list.set(0, "123456789")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("String of 9 bytes").hasMessageContaining("item 0")
                    .hasMessageContaining("8 bytes");
            assertThatThrownBy(() -> list.set(0, "ééééé")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("String of 10 bytes"); // UTF-8 bytes count, not chars
            assertThat(list.get(0)).isEqualTo("12345678");
            list.set(1, "sixteen bytes!!!");
            assertThatThrownBy(() -> list.set(1, new byte[17])).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("byte[] of 17 bytes");
            list.set(2, "int>str"); // an Integer's slot holds a String of up to 8 bytes
            assertThat(list.get(2)).isEqualTo("int>str");
            assertThatThrownBy(() -> list.set(2, "int→str")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("String of 9 bytes");
            list.unlink();
        }
        try (ShareableList list = ShareableList.create(Arrays.asList("abcdefgh", 1, null, ""))) {
            list.set(1, "8 bytes!");
            assertThat(list.get(1)).isEqualTo("8 bytes!");
            list.set(1, 3L);
            assertThat(list.get(1)).isEqualTo(3L);
            list.set(2, 2.5);
            list.set(3, true); // an empty String still has an 8-byte slot
            assertThat(list.set(0, new byte[] {9, 0})).isEqualTo("abcdefgh");
            assertThat((byte[]) list.get(0)).containsExactly(9, 0);
            list.set(0, null);
            assertThat(list.get(0)).isNull();
            assertThat(list).containsExactly(null, 3L, 2.5, true);
            assertThat(list.indexOf(2.5)).isEqualTo(2);
            assertThat(list.contains(3L)).isTrue();
            assertThat(list.contains(3)).as("an Integer is not a Long").isFalse();
            assertThat(Collections.frequency(list, null)).isEqualTo(1);
            assertThat(list).isEqualTo(Arrays.asList(null, 3L, 2.5, true));

            assertThatThrownBy(() -> list.set(0, new Object())).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("java.lang.Object");
            assertThatThrownBy(() -> list.set(0, (short) 1)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("java.lang.Short");
            assertThatThrownBy(() -> list.set(0, 1.5f)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("java.lang.Float");
            assertThatThrownBy(() -> list.get(4)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> list.set(-1, 1)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> list.add(1)).isInstanceOf(UnsupportedOperationException.class);
            assertThatThrownBy(() -> list.remove(0)).isInstanceOf(UnsupportedOperationException.class);
            list.unlink();
        }
    }

    @Test
    void unsupportedTypesFailAtCreationNamingTheClassAndLeaveNothing() {
        assertThatThrownBy(() -> ShareableList.create(List.of(1, new StringBuilder("x"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.lang.StringBuilder").hasMessageContaining("item 1");
        assertThatThrownBy(() -> ShareableList.create(List.of(new ArrayList<>())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("java.util.ArrayList");
        // the leak check verifies that no segment was left behind
    }

    @Test
    void aClosedListRefusesItsItemsAndAttachRefusesWhatIsNotAList() {
        ShareableList list = ShareableList.create(List.of(1, 2));
        list.close();
        list.close();
        assertThat(list.size()).isEqualTo(2);
        assertThatThrownBy(() -> list.get(0)).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> list.set(0, 3)).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThat(list.toString()).contains("<closed>");
        try (ShareableList again = ShareableList.attach(list.name())) {
            assertThat(again).containsExactly(1, 2);
        }
        list.unlink();
        assertThatThrownBy(() -> ShareableList.attach(list.name())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no shared-memory segment named");
        try (SharedMemory raw = SharedMemory.create(64)) {
            assertThatThrownBy(() -> ShareableList.attach(raw.name())).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("does not hold a ShareableList");
            raw.unlink();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"spawn", "forkserver"})
    void aChildAttachesByNameOrReceivesTheListAndBothSeeEachOthersWrites(String method) throws Exception {
        try (ShareableList list = ShareableList.create(SharedMemoryTest.testName("list"), everyType());
             Queue<Object> out = new Queue<>()) {
            String name = list.name();
            ShareableList captured = list;
            Process p = Multiprocessing.getContext(method).process(() -> {
                try (ShareableList byName = ShareableList.attach(name)) {
                    out.put(new ArrayList<>(byName));
                    byName.set(0, "child");
                }
                captured.set(1, 99L);
                captured.set(6, new byte[] {4, 2});
            });
            p.start();
            @SuppressWarnings("unchecked")
            List<Object> seen = (List<Object>) out.get();
            p.join();
            assertThat(p.exitCode()).isZero();
            assertThat(seen).hasSize(everyType().size());
            assertThat(seen.get(4)).isEqualTo("héllo ✓");
            assertThat((byte[]) seen.get(5)).containsExactly(1, 0, 2, 0, 0);
            assertThat(seen.get(6)).isNull();
            assertThat(list.get(0)).isEqualTo("child");
            assertThat(list.get(1)).isEqualTo(99L);
            assertThat((byte[]) list.get(6)).containsExactly(4, 2);
            list.unlink();
        }
    }
}
