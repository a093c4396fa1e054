package org.multiprocessing4j;

import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.multiprocessing4j.internal.shm.Segment;

/**
 * A block of memory that processes share by name, Python's
 * {@code multiprocessing.shared_memory.SharedMemory}: a POSIX shared-memory segment, the file
 * {@code /dev/shm/<name>}, mapped into this JVM. Bytes written through {@link #buffer()} in one
 * process are seen by every process that has the same name mapped, without copying or messages.
 *
 * <pre>{@code
 * try (SharedMemory shm = SharedMemory.create(1024)) {
 *     shm.buffer().putLong(0, 42);
 *     Process p = new Process(() -> {
 *         try (SharedMemory same = SharedMemory.attach(shm.name())) {  // or just use shm: it crosses by name
 *             same.buffer().putLong(8, same.buffer().getLong(0) + 1);
 *         }
 *     });
 *     p.start();
 *     p.join();
 *     System.out.println(shm.buffer().getLong(8));                    // 43
 *     shm.unlink();
 * }
 * }</pre>
 *
 * <p><b>Views.</b> Each call of {@link #buffer()} returns a new view of the whole segment: position 0,
 * limit and capacity {@link #size()}, <b>big-endian</b> like every new {@code ByteBuffer}. Views share
 * the bytes but not their position, limit or byte order, so each thread can take its own. To share
 * multi-byte values with C, NumPy or Python's {@code struct} in native order, call
 * {@code buffer().order(ByteOrder.nativeOrder())}. Nothing is synchronised: use a {@link Lock}, or
 * the atomic views of {@code java.lang.invoke.MethodHandles.byteBufferViewVarHandle}, to coordinate.
 *
 * <p><b>Blocking.</b> Nothing here blocks beyond a system call: creating, attaching and unlinking are
 * file operations on {@code /dev/shm}.
 *
 * <p><b>{@link #close()}</b> detaches this handle: later {@link #buffer()} calls throw
 * {@link IllegalStateException}. It does not destroy the segment, and closing twice is allowed. Views
 * obtained before stay usable: Java cannot unmap memory that a view may still reach, so the mapping
 * goes when the last view is garbage (Python's {@code close()} unmaps, and refuses while views exist).
 *
 * <p><b>{@link #unlink()}</b> destroys the segment: the name is removed, so no process can attach any
 * more and the name may be created again; processes that have it mapped keep using it, and the memory
 * is freed when the last mapping goes (as {@code shm_unlink}). Call it once, in one process, when the
 * segment is no longer needed; any handle, created or attached, may call it.
 *
 * <p><b>When processes end.</b> A segment lives until it is unlinked, not as long as its creator: a
 * child may create one, hand its name to its parent and exit. Segments created with tracking (the
 * default) that are still there when the program ends (the main process and all its children, even
 * if the main process was killed with {@code kill -9}) are unlinked by the resource tracker, which
 * prints on stderr, once, as Python does:
 * {@code resource_tracker: There appear to be N leaked shared_memory objects to clean up at shutdown}.
 * A process that only attached never destroys the segment when it exits. A segment created with
 * {@code track = false} is not tracked and outlives the program, for another program to attach to;
 * whoever is done with it last must unlink it.
 *
 * <p><b>Handles cross by name.</b> A {@code SharedMemory} is serializable: capture it in a
 * {@link Process} target or send it through a {@link Queue} or a {@link Connection}, and the receiver
 * attaches to the same segment by name (Python allows this too). The receiver's handle is an attached
 * one: not tracked, and its close detaches only itself.
 *
 * <p>Names: a plain file name under {@code /dev/shm} (letters, digits, {@code .}, {@code _}, {@code -};
 * at most 251 characters); one leading {@code /}, as {@code shm_open} takes it, is dropped, so a name
 * printed by a Python program attaches here. Linux only. Size: 1 byte to 2 GiB - 1.
 */
public final class SharedMemory implements AutoCloseable, Serializable {
    private static final long serialVersionUID = 1L;

    private final String name;
    private final long size;
    private final transient Segment segment;
    private transient volatile boolean closed;

    private SharedMemory(Segment segment) {
        this.segment = segment;
        this.name = segment.name();
        this.size = segment.size();
    }

    /**
     * Creates a segment of {@code size} zero bytes with a new name ({@code mp4j-} and 16 hex digits),
     * tracked.
     *
     * @throws IllegalArgumentException if the size is not positive or above 2^31-1
     */
    public static SharedMemory create(long size) {
        return new SharedMemory(Segment.create(null, size, true));
    }

    /**
     * Creates a segment of {@code size} zero bytes called {@code name}, tracked.
     *
     * @param name the file name under {@code /dev/shm}; null for a new {@code mp4j-} name
     * @throws IllegalArgumentException if the size is not positive or above 2^31-1, the name is not a
     *     plain file name, or a segment of that name exists
     */
    public static SharedMemory create(String name, long size) {
        return create(name, size, true);
    }

    /**
     * Creates a segment of {@code size} zero bytes called {@code name}.
     *
     * @param name the file name under {@code /dev/shm}; null for a new {@code mp4j-} name
     * @param track false: not registered with the resource tracker, so it outlives the program until
     *     someone unlinks it (Python 3.13's {@code track=False})
     * @throws IllegalArgumentException if the size is not positive or above 2^31-1, the name is not a
     *     plain file name, or a segment of that name exists
     */
    public static SharedMemory create(String name, long size, boolean track) {
        return new SharedMemory(Segment.create(name == null ? null : plain(name), size, track));
    }

    /**
     * Attaches to the existing segment called {@code name}, all of it. Attaching registers nothing: this
     * process's exit never destroys the segment.
     *
     * @throws IllegalArgumentException if no segment has that name (never created, or unlinked)
     */
    public static SharedMemory attach(String name) {
        return new SharedMemory(Segment.attach(plain(name)));
    }

    private static String plain(String name) {
        if (name == null) {
            throw new IllegalArgumentException("a shared-memory segment needs a name, not null");
        }
        return name.startsWith("/") ? name.substring(1) : name;
    }

    /** The name, without a leading {@code /}: what {@link #attach} takes. */
    public String name() {
        return name;
    }

    /** The size in bytes. */
    public long size() {
        return size;
    }

    /**
     * A new view of the whole segment: position 0, limit {@link #size()}, big-endian. Writes through it
     * are seen by every process that has the segment mapped.
     *
     * @throws IllegalStateException if this handle is closed
     */
    public ByteBuffer buffer() {
        return segment().mapped().duplicate().clear().order(ByteOrder.BIG_ENDIAN);
    }

    /** True once {@link #close()} was called on this handle. */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Detaches this handle: {@link #buffer()} throws from now on. Does not destroy the segment (see
     * {@link #unlink()}). Closing twice is allowed.
     */
    @Override
    public void close() {
        closed = true;
    }

    /**
     * Destroys the segment: removes its name, so that nobody can attach any more, and stops tracking it.
     * Mappings, this handle's included, stay valid until they are closed and garbage. Allowed on a
     * closed handle; a segment already unlinked is no error.
     */
    public void unlink() {
        segment.unlink();
    }

    /**
     * The segment, for {@link #buffer()} and the classes of this package built on it.
     *
     * @throws IllegalStateException if this handle is closed
     */
    Segment segment() {
        if (closed) {
            throw new IllegalStateException(this + " is closed");
        }
        return segment;
    }

    /** Python's form: {@code SharedMemory('name', size=N)}. */
    @Override
    public String toString() {
        return "SharedMemory('" + name + "', size=" + size + ")";
    }

    private Object writeReplace() {
        return new Handle(name);
    }

    /** What travels: the name; the receiver attaches. */
    private record Handle(String name) implements Serializable {
        private static final long serialVersionUID = 1L;

        private Object readResolve() {
            return attach(name);
        }
    }
}
