package org.multiprocessing4j.internal.shm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.testing.LayoutField;

/** The shared-memory layouts of values, arrays and lists: fields apart, aligned as the code assumes. */
class LayoutsTest {
    @Test
    void aValuesHeaderFieldsAreApartAndItsDataStartsOnACacheLine() {
        LayoutField.assertApartAndAligned(List.of(new LayoutField("MAGIC", ValueLayout.MAGIC, 4),
                new LayoutField("KIND", ValueLayout.KIND, 4), new LayoutField("LENGTH", ValueLayout.LENGTH, 4)),
                ValueLayout.DATA);
        assertThat(ValueLayout.DATA % 64).isZero();
    }

    @Test
    void everyValueElementIsNaturallyAlignedAndTheSegmentIsPaddedToEight() {
        int[] kinds = {ValueLayout.KIND_INT, ValueLayout.KIND_LONG, ValueLayout.KIND_DOUBLE, ValueLayout.KIND_BYTE,
            ValueLayout.KIND_BOOLEAN};
        assertThat(ValueLayout.elementSize(ValueLayout.KIND_INT)).isEqualTo(4);
        assertThat(ValueLayout.elementSize(ValueLayout.KIND_LONG)).isEqualTo(8);
        assertThat(ValueLayout.elementSize(ValueLayout.KIND_DOUBLE)).isEqualTo(8);
        assertThat(ValueLayout.elementSize(ValueLayout.KIND_BYTE)).isEqualTo(1);
        assertThat(ValueLayout.elementSize(ValueLayout.KIND_BOOLEAN)).isEqualTo(4);
        for (int kind : kinds) {
            int size = ValueLayout.elementSize(kind);
            for (int length : new int[] {0, 1, 2, 3, 5, 7, 8, 9, 1000}) {
                int segment = ValueLayout.size(kind, length);
                assertThat(segment % 8).as("%s[%d]", ValueLayout.kindName(kind), length).isZero();
                assertThat(segment).isGreaterThanOrEqualTo(ValueLayout.DATA + length * size)
                        .isLessThan(ValueLayout.DATA + length * size + 8);
                for (int i = 0; i < length; i++) {
                    int at = ValueLayout.offset(kind, i);
                    assertThat(at % size).isZero();
                    assertThat(at + size).isLessThanOrEqualTo(segment);
                    // int8 atomics work on the aligned int32 that holds the byte
                    assertThat((at & ~3) + 4).as("the int32 around element %d", i).isLessThanOrEqualTo(segment);
                }
            }
            int max = ValueLayout.maxLength(kind);
            assertThat((long) ValueLayout.DATA + (long) max * size + 7).as("the longest array fits an int")
                    .isLessThanOrEqualTo(Integer.MAX_VALUE);
            assertThat(ValueLayout.size(kind, max)).isPositive();
        }
        assertThatThrownBy(() -> ValueLayout.elementSize(99)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aListsHeaderDescriptorsAndSlotsAreApartAndOnMultiplesOfEight() {
        LayoutField.assertApartAndAligned(List.of(new LayoutField("MAGIC", ShareableListLayout.MAGIC, 4),
                new LayoutField("VERSION", ShareableListLayout.VERSION, 4),
                new LayoutField("COUNT", ShareableListLayout.COUNT, 4)),
                ShareableListLayout.HEADER_LENGTH);
        LayoutField.assertApartAndAligned(List.of(new LayoutField("TYPE", ShareableListLayout.TYPE, 4),
                new LayoutField("LENGTH", ShareableListLayout.LENGTH, 4),
                new LayoutField("DATA_OFFSET", ShareableListLayout.DATA_OFFSET, 4),
                new LayoutField("CAPACITY", ShareableListLayout.CAPACITY, 4)), ShareableListLayout.DESCRIPTOR_LENGTH);
        assertThat(ShareableListLayout.HEADER_LENGTH % ShareableListLayout.ALIGNMENT).isZero();
        assertThat(ShareableListLayout.DESCRIPTOR_LENGTH % ShareableListLayout.ALIGNMENT).isZero();
        assertThat(ShareableListLayout.descriptor(0)).isEqualTo(ShareableListLayout.HEADER_LENGTH);
        for (int count : new int[] {0, 1, 2, 7}) {
            assertThat(ShareableListLayout.dataStart(count)).isEqualTo(ShareableListLayout.descriptor(count))
                    .as("the data starts after the last descriptor");
            assertThat(ShareableListLayout.dataStart(count) % 8).isZero();
        }
        assertThat(ShareableListLayout.dataStart(Integer.MAX_VALUE)).as("no int overflow").isPositive();
    }

    @Test
    void aListsSlotHoldsAnyScalarAndIsAMultipleOfEight() {
        assertThat(ShareableListLayout.capacityFor(0)).isEqualTo(8);
        assertThat(ShareableListLayout.capacityFor(1)).isEqualTo(8);
        assertThat(ShareableListLayout.capacityFor(8)).isEqualTo(8);
        assertThat(ShareableListLayout.capacityFor(9)).isEqualTo(16);
        assertThat(ShareableListLayout.capacityFor(16)).isEqualTo(16);
        assertThat(ShareableListLayout.capacityFor(17)).isEqualTo(24);
        for (long n = 0; n < 100; n++) {
            long c = ShareableListLayout.capacityFor(n);
            assertThat(c % ShareableListLayout.ALIGNMENT).isZero();
            assertThat(c).isGreaterThanOrEqualTo(Math.max(n, 8)).isLessThan(Math.max(n, 8) + 8);
        }
    }

    @Test
    void theTypeCodesAreDistinct() {
        assertThat(List.of(ShareableListLayout.NULL, ShareableListLayout.INT, ShareableListLayout.LONG,
                ShareableListLayout.DOUBLE, ShareableListLayout.BOOLEAN, ShareableListLayout.STRING,
                ShareableListLayout.BYTES)).doesNotHaveDuplicates();
        assertThat(List.of(ValueLayout.KIND_INT, ValueLayout.KIND_LONG, ValueLayout.KIND_DOUBLE, ValueLayout.KIND_BYTE,
                ValueLayout.KIND_BOOLEAN)).doesNotHaveDuplicates().doesNotContain(0);
    }
}
