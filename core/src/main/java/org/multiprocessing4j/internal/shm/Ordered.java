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

    public static long getLongVolatile(ByteBuffer b, int offset) {
        return (long) LONG.getVolatile(b, offset);
    }

    public static long getLongAcquire(ByteBuffer b, int offset) {
        return (long) LONG.getAcquire(b, offset);
    }

    public static void putLongVolatile(ByteBuffer b, int offset, long value) {
        LONG.setVolatile(b, offset, value);
    }

    public static void putLongRelease(ByteBuffer b, int offset, long value) {
        LONG.setRelease(b, offset, value);
    }

    public static boolean compareAndSetLong(ByteBuffer b, int offset, long expected, long value) {
        return LONG.compareAndSet(b, offset, expected, value);
    }

    public static long getAndAddLong(ByteBuffer b, int offset, long delta) {
        return (long) LONG.getAndAdd(b, offset, delta);
    }
}
