package org.multiprocessing4j.internal.shm;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Atomic and ordered access to ints and longs of a direct (mapped) buffer, the JCTools way: the
 * memory ordering is in the method's name. Offsets must be aligned to the value's size; the atomic
 * operations work across processes because they are CPU instructions on the shared pages.
 */
public final class Ordered {
    private static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());
    private static final VarHandle LONG = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());

    private Ordered() {
    }

    public static int getIntVolatile(ByteBuffer b, int offset) {
        return (int) INT.getVolatile(b, offset);
    }

    public static int getIntAcquire(ByteBuffer b, int offset) {
        return (int) INT.getAcquire(b, offset);
    }

    public static void putIntVolatile(ByteBuffer b, int offset, int value) {
        INT.setVolatile(b, offset, value);
    }

    public static void putIntRelease(ByteBuffer b, int offset, int value) {
        INT.setRelease(b, offset, value);
    }

    public static boolean compareAndSetInt(ByteBuffer b, int offset, int expected, int value) {
        return INT.compareAndSet(b, offset, expected, value);
    }

    public static int getAndAddInt(ByteBuffer b, int offset, int delta) {
        return (int) INT.getAndAdd(b, offset, delta);
    }

    public static int getAndSetInt(ByteBuffer b, int offset, int value) {
        return (int) INT.getAndSet(b, offset, value);
    }

    public static long getLongVolatile(ByteBuffer b, int offset) {
        return (long) LONG.getVolatile(b, offset);
    }

    public static void putLongVolatile(ByteBuffer b, int offset, long value) {
        LONG.setVolatile(b, offset, value);
    }

    public static boolean compareAndSetLong(ByteBuffer b, int offset, long expected, long value) {
        return LONG.compareAndSet(b, offset, expected, value);
    }

    public static long getAndAddLong(ByteBuffer b, int offset, long delta) {
        return (long) LONG.getAndAdd(b, offset, delta);
    }

    public static long getAndSetLong(ByteBuffer b, int offset, long value) {
        return (long) LONG.getAndSet(b, offset, value);
    }

    // ---- bytes (for Array.ofBytes). There is no byte view VarHandle, so every byte operation works on
    // the naturally aligned int that contains the byte: the buffer must extend to that int's end. A CAS
    // on the whole int never overwrites a neighbouring byte, because it fails if any of the four changed.

    private static final boolean BIG_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN;

    /** Where the byte at {@code offset} sits in its containing int, in bits from the int's low end. */
    private static int byteShift(int offset) {
        int pos = offset & 3;
        return (BIG_ENDIAN ? 3 - pos : pos) << 3;
    }

    /** A volatile read of the containing int. */
    public static byte getByteVolatile(ByteBuffer b, int offset) {
        return (byte) (getIntVolatile(b, offset & ~3) >>> byteShift(offset));
    }

    /** A CAS on the containing int: volatile semantics, like {@link #putIntVolatile}. */
    public static void putByteVolatile(ByteBuffer b, int offset, byte value) {
        getAndSetByte(b, offset, value);
    }

    public static byte getAndSetByte(ByteBuffer b, int offset, byte value) {
        int at = offset & ~3;
        int shift = byteShift(offset);
        int mask = 0xff << shift;
        while (true) {
            int word = getIntVolatile(b, at);
            if (compareAndSetInt(b, at, word, (word & ~mask) | (value & 0xff) << shift)) {
                return (byte) (word >>> shift);
            }
        }
    }

    public static boolean compareAndSetByte(ByteBuffer b, int offset, byte expected, byte value) {
        int at = offset & ~3;
        int shift = byteShift(offset);
        int mask = 0xff << shift;
        while (true) {
            int word = getIntVolatile(b, at);
            if ((byte) (word >>> shift) != expected) {
                return false;
            }
            if (compareAndSetInt(b, at, word, (word & ~mask) | (value & 0xff) << shift)) {
                return true;
            }
        }
    }

    /** Adds with byte overflow (wraps around, like {@code (byte) (x + delta)}); returns the old value. */
    public static byte getAndAddByte(ByteBuffer b, int offset, byte delta) {
        int at = offset & ~3;
        int shift = byteShift(offset);
        int mask = 0xff << shift;
        while (true) {
            int word = getIntVolatile(b, at);
            byte old = (byte) (word >>> shift);
            if (compareAndSetInt(b, at, word, (word & ~mask) | ((old + delta) & 0xff) << shift)) {
                return old;
            }
        }
    }
}
