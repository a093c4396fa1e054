package org.multiprocessing4j.internal.runtime;

import java.io.FileInputStream;
import java.io.IOException;
import java.security.SecureRandom;

/**
 * Random bytes for keys, nonces and names, read from {@code /dev/urandom}: what {@code SecureRandom}
 * reads on Linux, without the ~25 ms its first use costs a new JVM (the JCA providers' set-up), which
 * every child used to pay on its first connection. {@code SecureRandom} where there is no such device.
 */
public final class Urandom {
    private static final String DEVICE = "/dev/urandom";

    private Urandom() {
    }

    /** {@code n} random bytes. */
    public static byte[] bytes(int n) {
        byte[] out = new byte[n];
        try (FileInputStream in = new FileInputStream(DEVICE)) {
            if (in.readNBytes(out, 0, n) == n) {
                return out;
            }
        } catch (IOException noDevice) {
            // below
        }
        new SecureRandom().nextBytes(out);
        return out;
    }

    /** A random {@code long}. */
    public static long nextLong() {
        long v = 0;
        for (byte b : bytes(8)) {
            v = v << 8 | (b & 0xff);
        }
        return v;
    }
}
