package org.multiprocessing4j.internal.shm;

/**
 * The layout of a {@code ShareableList} in its segment, in native byte order; every offset is a
 * multiple of 8.
 *
 * <pre>
 *   0               4               8               12              16
 *   +---------------+---------------+---------------+---------------+
 *   |     MAGIC     |    VERSION    |     COUNT     |  (reserved)   |  header
 *   +---------------+---------------+---------------+---------------+
 *   |     TYPE      |    LENGTH     |  DATA_OFFSET  |   CAPACITY    |  descriptor of item 0
 *   +---------------+---------------+---------------+---------------+
 *   |                              ...                              |  COUNT descriptors
 *   +---------------------------------------------------------------+  dataStart(COUNT)
 *   |           data of item 0: CAPACITY bytes (8, 16, 24 ...)      |
 *   +---------------------------------------------------------------+
 *   |                              ...                              |  each item's slot, in order
 *   +---------------------------------------------------------------+
 * </pre>
 *
 * <ul>
 *   <li>{@code MAGIC} is stored last, with release semantics, when the creator has written everything
 *       else: an attacher that reads it (acquire) sees a whole list.</li>
 *   <li>{@code TYPE} is one of {@link #NULL} … {@link #BYTES}; {@code LENGTH} is the number of bytes of a
 *       {@link #STRING} (UTF-8) or {@link #BYTES} item, 0 for the others; {@code DATA_OFFSET} is from the
 *       start of the segment; {@code CAPACITY} is fixed at creation: the first item's encoded size
 *       rounded up to a multiple of {@link #ALIGNMENT}, at least 8 (so that any item can become any
 *       scalar).</li>
 *   <li>Scalars sit at the start of their slot: {@link #INT} 4 bytes, {@link #LONG} and {@link #DOUBLE}
 *       8 bytes, {@link #BOOLEAN} 1 byte (0 or 1); {@link #NULL} uses no data.</li>
 *   <li>A {@code set} writes the data, then {@code LENGTH}, then {@code TYPE}, with plain stores: nothing
 *       is atomic, as in Python; concurrent writers and readers of one item need a lock.</li>
 * </ul>
 */
public final class ShareableListLayout {
    /** "MP4L". */
    public static final int MAGIC_VALUE = 0x4d50344c;
    public static final int VERSION_VALUE = 1;

    public static final int MAGIC = 0;
    public static final int VERSION = 4;
    public static final int COUNT = 8;
    public static final int HEADER_LENGTH = 16;

    public static final int TYPE = 0;
    public static final int LENGTH = 4;
    public static final int DATA_OFFSET = 8;
    public static final int CAPACITY = 12;
    public static final int DESCRIPTOR_LENGTH = 16;

    public static final int ALIGNMENT = 8;

    public static final int NULL = 0;
    public static final int INT = 1;
    public static final int LONG = 2;
    public static final int DOUBLE = 3;
    public static final int BOOLEAN = 4;
    public static final int STRING = 5;
    public static final int BYTES = 6;

    private ShareableListLayout() {
    }

    /** The offset of item {@code index}'s descriptor. */
    public static int descriptor(int index) {
        return HEADER_LENGTH + index * DESCRIPTOR_LENGTH;
    }

    /** Where the data of a list of {@code count} items starts. */
    public static long dataStart(int count) {
        return HEADER_LENGTH + (long) count * DESCRIPTOR_LENGTH;
    }

    /** The slot size for an item whose encoding takes {@code encodedLength} bytes. */
    public static long capacityFor(long encodedLength) {
        long rounded = (encodedLength + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
        return Math.max(ALIGNMENT, rounded);
    }
}
