package org.multiprocessing4j.internal.codec;

import java.io.IOException;
import java.io.InvalidClassException;
import java.io.InvalidObjectException;
import java.io.ObjectInputFilter;
import java.io.Serializable;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import org.multiprocessing4j.internal.wire.MessageLimit;

/**
 * A serializable record whose components hold strings, numbers ({@code int}, {@code long},
 * {@code double} or their boxes), booleans or nulls: a Python tuple as a port writes it, e.g.
 * {@code record Doc(String path, String text)}. The codec's {@code 'R'}, written without
 * {@code ObjectOutputStream}, whose stream set-up, class descriptor and modified UTF-8 cost a new JVM
 * far more than the data, item after item.
 *
 * <pre>
 *   body: the record class's name (STR), count (int32), then count components, each its name (STR)
 *         and its value as in {@link PlainMap}: 'N' null, 'Z' Boolean, 'I' Integer, 'J' Long,
 *         'D' Double, 'S' String
 * </pre>
 *
 * It keeps JDK serialization's rules for records: the values are the record's fields; reading
 * matches them to the components by name (a component the sender's class did not have gets its
 * default, one the reader's class does not have is dropped, one of another type is refused) and calls
 * the canonical constructor, so its checks run; the class is resolved by this library's class loader,
 * as {@code ObjectInputStream} resolves it from here, and passes {@link SerialFilter} first.
 * A record that declares {@code writeReplace} or {@code readResolve}, whose fields this library may
 * not read (a module that does not open it), or that holds anything else is JDK-serialized.
 */
final class PlainRecord {
    /** How each record class is written, or null where it cannot take this path. */
    private static final ClassValue<Shape> SHAPES = new ClassValue<>() {
        @Override
        protected Shape computeValue(Class<?> type) {
            return Shape.of(type);
        }
    };

    private PlainRecord() {
    }

    /** A record class's fields, in component order, and its canonical constructor, made accessible. */
    private record Shape(Field[] fields, Constructor<?> canonical, Class<?>[] types) {
        /** The index of the component named {@code name}, or -1. */
        int indexOf(String name) {
            for (int i = 0; i < fields.length; i++) {
                if (fields[i].getName().equals(name)) {
                    return i;
                }
            }
            return -1;
        }

        static Shape of(Class<?> type) {
            if (!type.isRecord() || !Serializable.class.isAssignableFrom(type)) {
                return null;
            }
            for (Method m : type.getDeclaredMethods()) {
                if (m.getParameterCount() == 0
                        && (m.getName().equals("writeReplace") || m.getName().equals("readResolve"))) {
                    return null;
                }
            }
            try {
                RecordComponent[] components = type.getRecordComponents();
                Field[] fields = new Field[components.length];
                Class<?>[] types = new Class<?>[components.length];
                for (int i = 0; i < components.length; i++) {
                    types[i] = components[i].getType();
                    if (types[i].isPrimitive() && types[i] != int.class && types[i] != long.class
                            && types[i] != double.class && types[i] != boolean.class) {
                        return null;
                    }
                    fields[i] = type.getDeclaredField(components[i].getName());
                    fields[i].setAccessible(true);
                }
                Constructor<?> canonical = type.getDeclaredConstructor(types);
                canonical.setAccessible(true);
                return new Shape(fields, canonical, types);
            } catch (ReflectiveOperationException | RuntimeException e) {
                return null; // not ours to read (a module that does not open it): JDK serialization can
            }
        }
    }

    /**
     * The body of {@code record}, or null if it cannot take this path (it is then JDK-serialized).
     *
     * @throws IllegalArgumentException if the body would exceed the message limit
     */
    static byte[] encode(Object record) {
        Shape shape = SHAPES.get(record.getClass());
        if (shape == null) {
            return null;
        }
        MessageWriter w = new MessageWriter("a record", 256, MessageLimit.bytes() - 1);
        w.writeString(record.getClass().getName());
        w.writeInt(shape.fields().length);
        try {
            for (Field f : shape.fields()) {
                w.writeString(f.getName());
                if (!PlainMap.write(w, f.get(record))) {
                    return null;
                }
            }
        } catch (IllegalAccessException e) {
            return null;
        }
        return w.toByteArray();
    }

    /** The record that {@link #encode} wrote, made by its canonical constructor. */
    static Object decode(byte[] body) throws IOException, ClassNotFoundException {
        MessageReader r = new MessageReader("a record", body);
        String name = r.readString();
        if (name == null) {
            throw new IOException("corrupt record: no class name");
        }
        Class<?> type = Class.forName(name, false, PlainRecord.class.getClassLoader());
        SerialFilter.Stream filter = SerialFilter.forMessage(body.length);
        if (filter.checkInput(new Info(type, body.length)) == ObjectInputFilter.Status.REJECTED) {
            throw new InvalidClassException("filter status: REJECTED: " + filter.rejection());
        }
        Shape shape = SHAPES.get(type);
        if (shape == null) {
            throw new InvalidClassException(name, "not a serializable record of plain components here");
        }
        Object[] values = new Object[shape.types().length];
        for (int i = 0; i < values.length; i++) {
            values[i] = defaultOf(shape.types()[i]);
        }
        int n = r.checkCount(r.readInt(), 5, "components");
        for (int i = 0; i < n; i++) {
            String component = r.readString();
            Object value = PlainMap.read(r);
            int at = component == null ? -1 : shape.indexOf(component);
            if (at < 0) {
                continue; // the sender's class had it, this one has not
            }
            if (!fits(value, shape.types()[at])) {
                throw new InvalidClassException(name, "component " + component + " is a "
                        + (value == null ? "null" : value.getClass().getName()) + ", not a "
                        + shape.types()[at].getName());
            }
            values[at] = value;
        }
        if (r.remaining() != 0) {
            throw new IOException("corrupt record: " + r.remaining() + " bytes left over");
        }
        try {
            return shape.canonical().newInstance(values);
        } catch (InvocationTargetException e) {
            InvalidObjectException refused = new InvalidObjectException(
                    "the canonical constructor of " + name + " refused the values read: " + e.getCause());
            refused.initCause(e.getCause());
            throw refused;
        } catch (ReflectiveOperationException e) {
            throw new InvalidClassException(name, e.toString());
        }
    }

    /** What a component missing from the stream gets, as JDK serialization gives it: 0, false or null. */
    private static Object defaultOf(Class<?> type) {
        if (type == int.class) {
            return 0;
        }
        if (type == long.class) {
            return 0L;
        }
        if (type == double.class) {
            return 0.0;
        }
        return type == boolean.class ? Boolean.FALSE : null;
    }

    /** Whether the canonical constructor takes {@code value} for a parameter of {@code type}. */
    private static boolean fits(Object value, Class<?> type) {
        if (!type.isPrimitive()) {
            return value == null || type.isInstance(value);
        }
        return value != null && (type == int.class && value instanceof Integer
                || type == long.class && value instanceof Long
                || type == double.class && value instanceof Double
                || type == boolean.class && value instanceof Boolean);
    }

    /** What the filter is told of a record read this way: its class, once, at depth 1. */
    private record Info(Class<?> serialClass, long streamBytes) implements ObjectInputFilter.FilterInfo {
        @Override
        public long arrayLength() {
            return -1;
        }

        @Override
        public long depth() {
            return 1;
        }

        @Override
        public long references() {
            return 1;
        }
    }
}
