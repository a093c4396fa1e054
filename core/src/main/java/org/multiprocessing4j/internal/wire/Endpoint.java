package org.multiprocessing4j.internal.wire;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;

/**
 * An address and the authkey to connect to it with: what a client-side pool of authenticated
 * connections is kept by. Two endpoints are equal when both address and key are, so connections
 * made with one key are never handed to a caller that holds another.
 *
 * <p>The key is copied in and never shown: {@link #toString()} names the address only.
 */
public record Endpoint(String address, byte[] authkey) {

    public Endpoint {
        Objects.requireNonNull(address, "address");
        authkey = Objects.requireNonNull(authkey, "authkey").clone();
    }

    /** A copy of the key. */
    @Override
    public byte[] authkey() {
        return authkey.clone();
    }

    /** Whether this endpoint's key is {@code key}, compared in constant time. */
    public boolean hasKey(byte[] key) {
        return key != null && MessageDigest.isEqual(authkey, key);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Endpoint e && address.equals(e.address) && MessageDigest.isEqual(authkey, e.authkey);
    }

    @Override
    public int hashCode() {
        return address.hashCode() * 31 + Arrays.hashCode(authkey);
    }

    @Override
    public String toString() {
        return address;
    }
}
