package org.multiprocessing4j;

import java.io.Serializable;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import org.multiprocessing4j.internal.shm.ValueBlock;
import org.multiprocessing4j.internal.shm.ValueLayout;

/**
 * What the {@code Shared*} values and arrays have in common: the segment ({@link ValueBlock}), the
 * optional lock, {@link #close()}, and the form that crosses processes. Each subclass adds only its
 * typed accessors, as {@code AtomicInteger} and {@code AtomicLong} each do.
 *
 * <p>Serialized, a handle is a {@link Handle}: the kind, the segment's name, the length and the lock's
 * handle; the receiver attaches to the same segment and gets an object of the same class.
 */
abstract sealed class SharedBlock implements AutoCloseable, Serializable
        permits SharedInt, SharedLong, SharedDouble, SharedBoolean,
                SharedIntArray, SharedLongArray, SharedDoubleArray, SharedByteArray {
    private static final long serialVersionUID = 1L;

    /** The eight faces: the element kind, the user's name for it, its raw factory, and its constructor. */
    enum Face {
        INT(ValueLayout.KIND_INT, "SharedInt", "Value.rawInt", SharedInt::new),
        LONG(ValueLayout.KIND_LONG, "SharedLong", "Value.rawLong", SharedLong::new),
        DOUBLE(ValueLayout.KIND_DOUBLE, "SharedDouble", "Value.rawDouble", SharedDouble::new),
        BOOLEAN(ValueLayout.KIND_BOOLEAN, "SharedBoolean", "Value.rawBoolean", SharedBoolean::new),
        INT_ARRAY(ValueLayout.KIND_INT, "SharedIntArray", "Array.rawInts", SharedIntArray::new),
        LONG_ARRAY(ValueLayout.KIND_LONG, "SharedLongArray", "Array.rawLongs", SharedLongArray::new),
        DOUBLE_ARRAY(ValueLayout.KIND_DOUBLE, "SharedDoubleArray", "Array.rawDoubles", SharedDoubleArray::new),
        BYTE_ARRAY(ValueLayout.KIND_BYTE, "SharedByteArray", "Array.rawBytes", SharedByteArray::new);

        final int kind;
        final String type;
        final String rawFactory;
        final BiFunction<ValueBlock, RLock, SharedBlock> make;

        Face(int kind, String type, String rawFactory, BiFunction<ValueBlock, RLock, SharedBlock> make) {
            this.kind = kind;
            this.type = type;
            this.rawFactory = rawFactory;
            this.make = make;
        }
    }

    private final transient Face face;
    /** The elements; the subclasses' accessors go straight to it. */
    final transient ValueBlock block;
    private final transient RLock lock;

    SharedBlock(Face face, ValueBlock block, RLock lock) {
        this.face = face;
        this.block = block;
        this.lock = lock;
    }

    /**
     * A new segment of {@code length} elements, written by {@code init} before it is published, with a
     * new lock if {@code locked}; nothing is left behind if either fails.
     *
     * @throws IllegalArgumentException if the length is negative or too large for one segment
     */
    static SharedBlock create(Face face, int length, Consumer<ValueBlock> init, boolean locked) {
        ValueBlock b = ValueBlock.create(face.kind, length, face.type, init);
        RLock lock = null;
        if (locked) {
            try {
                lock = new RLock();
            } catch (RuntimeException | Error e) {
                b.close();
                throw e;
            }
        }
        return face.make.apply(b, lock);
    }

    /** {@code getLock()}: the lock, or IllegalStateException naming the raw factory. */
    final RLock lock() {
        block.checkOpen();
        if (lock == null) {
            throw new IllegalStateException("this " + face.type + " is raw (made by " + face.rawFactory
                    + "): it has no lock");
        }
        return lock;
    }

    /**
     * Closes this value or array and its lock: later calls on this handle throw
     * {@link IllegalStateException}; in the creating process, also stops new processes from attaching.
     * Idempotent.
     */
    @Override
    public void close() {
        try {
            block.close();
        } finally {
            if (lock != null) {
                lock.close();
            }
        }
    }

    final Object writeReplace() {
        block.checkOpen();
        return new Handle(face, block.name(), block.length(), lock);
    }

    /** What crosses processes: the face, the segment's name, the length, and the lock's handle (null if raw). */
    private record Handle(Face face, String name, int length, RLock lock) implements Serializable {
        private Object readResolve() {
            return face.make.apply(ValueBlock.attach(name, face.kind, length, face.type), lock);
        }
    }
}
