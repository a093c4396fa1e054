package org.multiprocessing4j.internal.shm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import java.util.Set;
import java.util.regex.Pattern;
import org.multiprocessing4j.internal.track.ResourceTracker;

/**
 * A named POSIX shared-memory segment: a file under {@code /dev/shm} (what {@code shm_open} makes),
 * mapped into this JVM. Every process that maps the same name sees the same bytes.
 *
 * <p>A segment made by {@link #create} with {@code track} is registered with the {@link ResourceTracker},
 * which unlinks it when the process tree that made it is gone if nobody did before; {@link #attach}
 * never registers, so a process that only attached never destroys the segment (CPython's gh-82300).
 *
 * <p>The mapping lives as long as this object is reachable: Java cannot unmap a buffer that may still
 * be in use, so there is no {@code close} here: its users mark their own handles closed. {@link #unlink} removes the name; mappings already
 * made stay valid (as with {@code shm_unlink}). The buffer is in native byte order.
 *
 * <p>A name is a plain file name: letters, digits, {@code .}, {@code _}, {@code -}, not starting
 * with {@code -}, neither {@code .} nor {@code ..}.
 */
public final class Segment {
    /** Where segments live: tmpfs on Linux (the tracker's {@link ResourceTracker#SEGMENT_DIR}). */
    public static final Path DIR = ResourceTracker.SEGMENT_DIR;
    /** The prefix of generated names, which leak checks and the tracker look for. */
    public static final String PREFIX = "mp4j-";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._][A-Za-z0-9._-]{0,250}");

    private final String name;
    private final long size;
    private final MappedByteBuffer buffer;
    private final boolean created;

    private Segment(String name, long size, MappedByteBuffer buffer, boolean created) {
        this.name = name;
        this.size = size;
        this.buffer = buffer;
        this.created = created;
    }

    /** A new name, {@code mp4j-} and 16 random hex digits. */
    public static String newName() {
        byte[] b = org.multiprocessing4j.internal.runtime.Urandom.bytes(8);
        return PREFIX + HexFormat.of().formatHex(b);
    }

    /**
     * Creates and maps a segment of {@code size} zero bytes, readable and writable by this user only.
     *
     * @param name the file name under {@code /dev/shm}, or null for a new {@code mp4j-} name
     * @param track whether the resource tracker unlinks it when this process tree is gone
     * @throws IllegalArgumentException if the size is not in 1..2^31-1, the name is not a plain file
     *     name, or a segment of that name exists
     * @throws IllegalStateException if {@code track} and the process tree's resource tracker has shut
     *     down (its main process ended)
     */
    public static Segment create(String name, long size, boolean track) {
        checkSize(size);
        String n = name == null ? newName() : checkName(name);
        Path path = DIR.resolve(n);
        try (FileChannel ch = FileChannel.open(path, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
            MappedByteBuffer buf;
            try {
                if (track) {
                    ResourceTracker.register(n); // after the file exists: a registry entry always names a file
                }
                buf = ch.map(FileChannel.MapMode.READ_WRITE, 0, size); // grows the file to size, zero-filled
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(path);
                if (track) {
                    ResourceTracker.unregister(n);
                }
                throw e;
            }
            buf.order(ByteOrder.nativeOrder());
            return new Segment(n, size, buf, true);
        } catch (FileAlreadyExistsException e) {
            throw new IllegalArgumentException("a shared-memory segment named '" + n + "' already exists");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create shared-memory segment '" + n + "' of " + size + " bytes", e);
        }
    }

    /**
     * Maps an existing segment, all of it.
     *
     * @throws IllegalArgumentException if there is no segment of that name
     */
    public static Segment attach(String name) {
        String n = checkName(name);
        Path path = DIR.resolve(n);
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = ch.size();
            if (size <= 0 || size > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("shared-memory segment '" + n + "' has size " + size
                        + ", which cannot be mapped");
            }
            MappedByteBuffer buf = ch.map(FileChannel.MapMode.READ_WRITE, 0, size);
            buf.order(ByteOrder.nativeOrder());
            return new Segment(n, size, buf, false);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("no shared-memory segment named '" + n + "'");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot attach shared-memory segment '" + n + "'", e);
        }
    }

    private static void checkSize(long size) {
        if (size <= 0) {
            throw new IllegalArgumentException("a shared-memory segment needs a positive size, not " + size);
        }
        if (size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a shared-memory segment can be at most " + Integer.MAX_VALUE
                    + " bytes (one ByteBuffer), not " + size);
        }
    }

    private static String checkName(String name) {
        if (name == null || !NAME.matcher(name).matches() || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("not a shared-memory segment name: '" + name
                    + "' (letters, digits, '.', '_', '-'; no '/')");
        }
        return name;
    }

    public String name() {
        return name;
    }

    public long size() {
        return size;
    }

    /** True if this process created the segment (rather than attached to it). */
    public boolean created() {
        return created;
    }

    /** The mapping itself, native byte order, position 0 and limit {@link #size()}; shared, not a copy. */
    public MappedByteBuffer mapped() {
        return buffer;
    }

    /**
     * Removes the name so nobody can attach any more, and stops tracking it. Mappings stay valid. A
     * segment already unlinked (by any process) is no error.
     */
    public void unlink() {
        try {
            Files.deleteIfExists(DIR.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unlink shared-memory segment '" + name + "'", e);
        } finally {
            ResourceTracker.unregister(name);
        }
    }
}
