package org.multiprocessing4j.internal.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.testing.LayoutField;

/** The layout of a synchronisation object's segment: fields apart and naturally aligned (for atomics). */
class SyncLayoutTest {
    /** A field of {@code size} bytes at {@code offset} that atomics need aligned to {@code align}. */
    @Test
    void theHeaderFieldsTheHoldersAndTheSlotsDoNotOverlap() {
        LayoutField.assertApartAndAligned(List.of(
                new LayoutField("MAGIC", SyncLayout.MAGIC, 4),
                new LayoutField("KIND", SyncLayout.KIND, 4),
                new LayoutField("WORD", SyncLayout.WORD, 8),
                new LayoutField("COUNT", SyncLayout.COUNT, 4),
                new LayoutField("LIMIT", SyncLayout.LIMIT, 4),
                new LayoutField("WAITERS", SyncLayout.WAITERS, 4),
                new LayoutField("BROKEN_GEN", SyncLayout.BROKEN_GEN, 4),
                new LayoutField("TICKET", SyncLayout.TICKET, 8),
                new LayoutField("SLOTS_USED", SyncLayout.SLOTS_USED, 4),
                new LayoutField("HOLDERS", SyncLayout.HOLDERS, SyncLayout.HOLDER_COUNT * SyncLayout.HOLDER_SIZE, 8),
                new LayoutField("SLOTS", SyncLayout.SLOTS, SyncLayout.SLOT_COUNT * SyncLayout.SLOT_SIZE, 8)),
                SyncLayout.SIZE);
        assertThat(SyncLayout.SIZE).isEqualTo(SyncLayout.SLOTS + SyncLayout.SLOT_COUNT * SyncLayout.SLOT_SIZE);
    }

    @Test
    void aHolderIsAPidAndACountAndEverySlotIsAligned() {
        assertThat(SyncLayout.HOLDER_SIZE).isEqualTo(8);
        assertThat(SyncLayout.SLOT_SIZE % 8).isZero();
        assertThat(SyncLayout.SLOTS % 64).as("slots start on a cache line").isZero();
        LayoutField.assertApartAndAligned(List.of(
                new LayoutField("SLOT_PID", SyncLayout.SLOT_PID, 4),
                new LayoutField("SLOT_STATE", SyncLayout.SLOT_STATE, 4),
                new LayoutField("SLOT_TICKET", SyncLayout.SLOT_TICKET, 8),
                new LayoutField("SLOT_PATH_LENGTH", SyncLayout.SLOT_PATH_LENGTH, 2),
                new LayoutField("SLOT_PATH", SyncLayout.SLOT_PATH, SyncLayout.SLOT_PATH_MAX, 1)),
                SyncLayout.SLOT_SIZE);
        assertThat(SyncLayout.SLOT_PATH + SyncLayout.SLOT_PATH_MAX).isEqualTo(SyncLayout.SLOT_SIZE);
    }

    @Test
    void theBitsOfTheWordsAndTheKindsAreDistinct() {
        assertThat(SyncLayout.WAITERS_BIT).isEqualTo(1L << 31);
        assertThat(SyncLayout.BROKEN_BIT & ((1L << 31) - 1)).as("apart from the arrived count (bits 0..30)").isZero();
        assertThat(List.of(SyncLayout.KIND_LOCK, SyncLayout.KIND_RLOCK, SyncLayout.KIND_SEMAPHORE,
                SyncLayout.KIND_BOUNDED_SEMAPHORE, SyncLayout.KIND_EVENT, SyncLayout.KIND_CONDITION,
                SyncLayout.KIND_BARRIER)).doesNotHaveDuplicates().doesNotContain(0);
        assertThat(SyncLayout.STATE_WAITING).isNotEqualTo(SyncLayout.STATE_SIGNALLED).isNotZero();
        assertThat(SyncLayout.STATE_SIGNALLED).isNotZero();
    }
}
