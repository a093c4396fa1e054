package org.multiprocessing4j.internal.shm;

/**
 * The binary layout of a shared value or array ({@code Value}, {@code Array}) in its shared-memory
 * segment: the only place it is written down. Native byte order; every element is naturally aligned,
 * so that any process that maps the segment can read, write and compare-and-set it atomically.
 *
 * <pre>
 *   offset  size        field
 *   0       4           MAGIC 'MP4V', written last by the creator: a segment without it is not ready
 *   4       4           KIND  element type: 1 int32, 2 int64, 3 float64, 4 int8, 5 boolean
 *   8       4           LENGTH  number of elements (1 for a Value)
 *   12      52          reserved, zero
 *   64      LENGTH * n  DATA  the elements, n = {@link #elementSize(int)} bytes each:
 *                             int32 and int64 as they are; float64 as the IEEE 754 bits of an int64
 *                             (Double.doubleToRawLongBits); int8 one byte each; boolean an int32, 0 or 1
 *   ...     0..7        padding to a multiple of 8, so that the aligned int32 that contains the last
 *                       int8 lies inside the segment (int8 atomics work on their containing int32)
 * </pre>
 *
 * The lock of a locked value is a separate {@code RLock} segment; its name travels in the value's
 * handle, not in this layout.
 */
public final class ValueLayout {
    public static final int MAGIC_VALUE = 0x4D503456; // 'MP4V'

    public static final int MAGIC = 0;
    public static final int KIND = 4;
    public static final int LENGTH = 8;
    /** The first element, at a cache-line boundary. */
    public static final int DATA = 64;

    public static final int KIND_INT = 1;
    public static final int KIND_LONG = 2;
    public static final int KIND_DOUBLE = 3;
    public static final int KIND_BYTE = 4;
    public static final int KIND_BOOLEAN = 5;

    private ValueLayout() {
    }

    /** Bytes per element of {@code kind}. */
    public static int elementSize(int kind) {
        return switch (kind) {
            case KIND_INT, KIND_BOOLEAN -> Integer.BYTES;
            case KIND_LONG, KIND_DOUBLE -> Long.BYTES;
            case KIND_BYTE -> Byte.BYTES;
            default -> throw new IllegalArgumentException("no value kind " + kind);
        };
    }

    /** The longest array of {@code kind} that fits in one segment. */
    public static int maxLength(int kind) {
        return (Integer.MAX_VALUE - DATA - 8) / elementSize(kind);
    }

    /** The segment size for {@code length} elements of {@code kind}: header, data, padding to 8. */
    public static int size(int kind, int length) {
        long bytes = DATA + (long) length * elementSize(kind);
        return (int) ((bytes + 7) & ~7L);
    }

    /** The offset of element {@code index} (not checked). */
    public static int offset(int kind, int index) {
        return DATA + index * elementSize(kind);
    }

    public static String kindName(int kind) {
        return switch (kind) {
            case KIND_INT -> "int";
            case KIND_LONG -> "long";
            case KIND_DOUBLE -> "double";
            case KIND_BYTE -> "byte";
            case KIND_BOOLEAN -> "boolean";
            default -> "kind " + kind;
        };
    }
}
