package org.multiprocessing4j.internal.manager;

import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.AbstractMap;
import java.util.Map;
import org.multiprocessing4j.internal.codec.Codec;
import org.multiprocessing4j.internal.codec.LimitedBytes;
import org.multiprocessing4j.internal.codec.SerialOutput;
import org.multiprocessing4j.internal.wire.MessageLimit;

/**
 * How the manager encodes a result to send it back: the {@code Codec}'s encoding, where the map
 * entries a map's views hand out ({@code HashMap}'s own nodes, which cannot be serialized) travel as
 * {@link AbstractMap.SimpleImmutableEntry} snapshots, so that iterating a managed map's
 * {@code entrySet()} or taking its {@code toArray()} works.
 */
final class Results {
    private Results() {
    }

    /**
     * Encodes {@code value}.
     *
     * @throws NotSerializableException if it, or something it reaches, cannot be serialized
     * @throws IllegalArgumentException if its encoding exceeds the message limit
     */
    static Codec.Encoded encode(Object value) throws NotSerializableException {
        if (value == null || isFast(value.getClass())) {
            return Codec.encode(value);
        }
        Object v = replace(value);
        LimitedBytes bytes = new LimitedBytes(256, MessageLimit.bytes() - 1);
        try (ObjectOutputStream out = new EntryReplacing(bytes)) {
            out.writeObject(v);
        } catch (LimitedBytes.Exceeded e) {
            IllegalArgumentException tooLarge = MessageLimit.exceeded("a " + value.getClass().getName() + ", serialized,");
            tooLarge.initCause(e);
            throw tooLarge;
        } catch (NotSerializableException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            NotSerializableException n = new NotSerializableException(value.getClass().getName() + ": " + e);
            n.initCause(e);
            throw n;
        }
        return new Codec.Encoded((byte) 'X', bytes.toByteArray());
    }

    private static boolean isFast(Class<?> c) {
        return c == String.class || c == Integer.class || c == Long.class || c == Double.class || c == Boolean.class
                || c == byte[].class || c == int[].class || c == long[].class || c == double[].class;
    }

    private static Object replace(Object o) {
        if (o instanceof Map.Entry<?, ?> e && !(o instanceof Serializable)) {
            return new AbstractMap.SimpleImmutableEntry<>(e.getKey(), e.getValue());
        }
        return o;
    }

    private static final class EntryReplacing extends SerialOutput {
        EntryReplacing(OutputStream out) throws IOException {
            super(out);
            enableReplaceObject(true);
        }

        @Override
        protected Object replaceObject(Object obj) {
            return replace(obj);
        }
    }
}
