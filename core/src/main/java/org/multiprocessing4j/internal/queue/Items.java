package org.multiprocessing4j.internal.queue;

import java.io.IOException;
import java.util.Arrays;
import org.multiprocessing4j.ProcessError;
import org.multiprocessing4j.internal.codec.Codec;

/**
 * How a served queue holds an item. Boxed primitives, and strings put in this JVM, are held as
 * themselves; anything else is held encoded ({@link Codec.Encoded}) and decoded only by the process
 * that takes it, so the server never deserializes a class, and an item that passes from one process to
 * another through it is neither decoded nor encoded again. Either way an item is a snapshot taken at
 * the put: a later change to the object put is not seen by the taker.
 */
final class Items {
    private Items() {
    }

    /**
     * An item that arrived on the wire in the first {@code length} bytes of a lent array, which is not
     * kept: a boxed primitive is decoded, anything else (a string too) copied and held encoded, so that
     * a consumer in another process is sent it as it came, and a get in this JVM decodes it.
     */
    static Object fromWire(byte tag, byte[] lent, int length) {
        byte[] body = Arrays.copyOf(lent, length);
        switch (tag) {
            case 'I', 'J', 'D', 'Z':
                try {
                    return Codec.decode(tag, body);
                } catch (IOException | ClassNotFoundException | RuntimeException e) {
                    return new Codec.Encoded(tag, body); // malformed: let the taker see the error
                }
            default:
                return new Codec.Encoded(tag, body);
        }
    }

    /**
     * An item put by this JVM. Encodes anything that is not immutable, so a value that cannot be
     * serialized fails here, at the put.
     *
     * @throws IllegalArgumentException if the value is not serializable; the message names the class; or
     *     if its encoding exceeds the message limit
     */
    static Object fromValue(Object value) {
        Class<?> type = value.getClass();
        if (type == Integer.class || type == Long.class || type == Double.class || type == Boolean.class) {
            return value;
        }
        if (type == String.class) {
            Codec.checkString((String) value); // another process may take it
            return value;
        }
        if (type == byte[].class) {
            Codec.checkBody(((byte[]) value).length, 1, "a byte[]");
            return new Codec.Encoded((byte) 'b', ((byte[]) value).clone());
        }
        return Codec.encode(value);
    }

    /** At most how many bytes an item's body takes on the wire (a string's char, in UTF-8, three at most). */
    static long sizeOf(Object item) {
        if (item instanceof Codec.Encoded e) {
            return e.body().length;
        }
        return item instanceof String str ? 3L * str.length() : Long.BYTES;
    }

    /** The value of an item taken by this JVM. */
    static Object toValue(Object item) {
        if (!(item instanceof Codec.Encoded e)) {
            return item;
        }
        try {
            return Codec.decode(e.tag(), e.body());
        } catch (IOException | ClassNotFoundException | RuntimeException ex) {
            throw new ProcessError("cannot read the item taken from the queue: " + ex, ex);
        }
    }

    /** An item as it goes on the wire to another process. */
    static Codec.Encoded toWire(Object item) {
        return item instanceof Codec.Encoded e ? e : Codec.encode(item);
    }
}
