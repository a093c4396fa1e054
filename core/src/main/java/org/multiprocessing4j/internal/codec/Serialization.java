package org.multiprocessing4j.internal.codec;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.NotSerializableException;
import java.io.ObjectInputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.lang.invoke.MethodHandleInfo;
import java.lang.invoke.SerializedLambda;
import java.util.ArrayList;
import java.util.List;
import org.multiprocessing4j.internal.wire.MessageLimit;

/**
 * JDK serialization with errors that name what could not be sent. Callers serialize in the calling
 * thread, before anything crosses a process boundary, so a bad object fails at the call, and so does
 * one larger than the message limit ({@link MessageLimit}): the encoder stops as soon as its output
 * passes the limit. Reading is filtered by {@link SerialFilter}.
 */
public final class Serialization {
    private Serialization() {
    }

    /**
     * Serializes {@code value}.
     *
     * @param what how the caller names the value in an error, e.g. {@code "the target of Process-1"}
     * @throws IllegalArgumentException if the value, or anything it reaches, is not serializable; the
     *     message names the offending class and the cause is the original exception; or if it takes
     *     more than the message limit, less the codec's tag byte
     */
    public static byte[] toBytes(Object value, String what) {
        LimitedBytes bytes = new LimitedBytes(512, MessageLimit.bytes() - 1);
        Explaining out = null;
        try {
            out = new Explaining(bytes);
            out.writeObject(value);
            out.close();
        } catch (LimitedBytes.Exceeded e) {
            IllegalArgumentException tooLarge = MessageLimit.exceeded("the serialized form of " + what);
            tooLarge.initCause(e);
            throw tooLarge;
        } catch (NotSerializableException e) {
            String why = out == null ? null : out.whyRefused();
            throw new IllegalArgumentException(what + " cannot be sent to another process: "
                    + (why != null ? why : e.getMessage() + " is not Serializable" + lambdaHint(e.getMessage())), e);
        } catch (InvalidClassException e) {
            throw new IllegalArgumentException(
                    what + " cannot be sent to another process: " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(
                    what + " cannot be sent to another process: " + e, e);
        }
        return bytes.toByteArray();
    }

    /**
     * Reads back what {@link #toBytes} wrote, resolving classes as {@link ObjectInputStream} does, through
     * {@link SerialFilter}.
     *
     * @throws InvalidClassException if the filter rejects the object; the message says which class or
     *     limit, and how to allow it
     */
    public static Object fromBytes(byte[] data) throws IOException, ClassNotFoundException {
        SerialFilter.Stream filter = SerialFilter.forMessage(data.length);
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(data))) {
            in.setObjectInputFilter(filter);
            return in.readObject();
        } catch (InvalidClassException e) {
            String why = filter.rejection();
            if (why == null) {
                throw e;
            }
            InvalidClassException explained = new InvalidClassException("filter status: REJECTED: " + why);
            explained.initCause(e);
            throw explained;
        }
    }

    /**
     * The library's stream, remembering the lambdas it writes and the last object it met that is not
     * {@code Serializable}, so that a failure can say what was captured, and by which lambda, in the
     * user's terms.
     */
    private static final class Explaining extends SerialOutput {
        private final List<SerializedLambda> lambdas = new ArrayList<>(1);
        private Object refused;

        Explaining(OutputStream out) throws IOException {
            super(out);
            enableReplaceObject(true);
        }

        @Override
        protected Object replaceObject(Object obj) {
            if (obj instanceof SerializedLambda lambda) {
                lambdas.add(lambda);
            } else if (!(obj instanceof Serializable)) {
                refused = obj; // the stream throws NotSerializableException for it next
            }
            return obj;
        }

        /** Why the refused object was met, when a lambda captured it or it is a Path; else null. */
        String whyRefused() {
            if (refused == null) {
                return null;
            }
            String type = refused.getClass().getName();
            if (refused instanceof java.nio.file.Path) {
                return "a " + type + " (a java.nio.file.Path) is not Serializable: send the path as a String"
                        + " (its toString()) and make it a Path again with Path.of in the other process";
            }
            for (SerializedLambda lambda : lambdas) {
                String capturing = lambda.getCapturingClass().replace('/', '.');
                for (int i = 0; i < lambda.getCapturedArgCount(); i++) {
                    if (lambda.getCapturedArg(i) != refused) {
                        continue;
                    }
                    boolean onInstance = lambda.getImplMethodKind() != MethodHandleInfo.REF_invokeStatic;
                    boolean body = lambda.getImplMethodName().startsWith("lambda$"); // else a method reference
                    if (i == 0 && onInstance && body && isA(refused.getClass(), capturing)) {
                        return "the lambda captured `this`, an instance of " + type + ", which is not Serializable"
                                + " (it uses a field or method of " + capturing + "; copy what it needs into a"
                                + " local variable first, or make it a static method)";
                    }
                    if (i == 0 && onInstance && !body) {
                        return "the method reference ::" + lambda.getImplMethodName() + " is bound to a " + type
                                + ", which is not Serializable";
                    }
                    return "a lambda written in " + capturing + " captured a " + type
                            + ", which is not Serializable";
                }
            }
            return null;
        }

        private static boolean isA(Class<?> c, String className) {
            for (Class<?> k = c; k != null; k = k.getSuperclass()) {
                if (k.getName().equals(className)) {
                    return true;
                }
            }
            return false;
        }
    }

    private static String lambdaHint(String className) {
        return className != null && className.contains("$$Lambda")
                ? " (a lambda is serializable only when written where a Serializable functional type,"
                        + " such as SerializableRunnable, is expected)"
                : "";
    }
}
