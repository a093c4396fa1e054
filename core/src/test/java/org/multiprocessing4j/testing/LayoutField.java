package org.multiprocessing4j.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

/**
 * A field of a binary layout for tests: {@code size} bytes at {@code offset}, which atomics need aligned
 * to {@code align}.
 */
public record LayoutField(String name, long offset, int size, int align) {

    /** A number (or an array of numbers), aligned to its size up to 8. */
    public LayoutField(String name, long offset, int size) {
        this(name, offset, size, Math.min(size, 8));
    }

    public long end() {
        return offset + size;
    }

    /** Fields apart from each other, each aligned, all inside {@code [0, limit)}. */
    public static void assertApartAndAligned(List<LayoutField> fields, long limit) {
        for (LayoutField f : fields) {
            assertThat(f.offset() % f.align()).as("%s at %d is aligned to %d", f.name(), f.offset(), f.align())
                    .isZero();
            assertThat(f.offset()).as(f.name()).isNotNegative();
            assertThat(f.end()).as("%s ends inside %d", f.name(), limit).isLessThanOrEqualTo(limit);
            for (LayoutField g : fields) {
                if (f != g) {
                    assertThat(f.end() <= g.offset() || g.end() <= f.offset())
                            .as("%s [%d, %d) and %s [%d, %d) overlap", f.name(), f.offset(), f.end(), g.name(),
                                    g.offset(), g.end())
                            .isTrue();
                }
            }
        }
    }
}
