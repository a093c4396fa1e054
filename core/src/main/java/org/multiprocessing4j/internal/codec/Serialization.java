package org.multiprocessing4j.internal.codec;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.NotSerializableException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
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
        try (ObjectOutputStream out = new SerialOutput(bytes)) {
            out.writeObject(value);
        } catch (LimitedBytes.Exceeded e) {
            IllegalArgumentException tooLarge = MessageLimit.exceeded("the serialized form of " + what);
            tooLarge.initCause(e);
            throw tooLarge;
        } catch (NotSerializableException e) {
            throw new IllegalArgumentException(
                    what + " cannot be sent to another process: " + e.getMessage() + " is not Serializable"
                            + lambdaHint(e.getMessage()), e);
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

    private static String lambdaHint(String className) {
        return className != null && className.contains("$$Lambda")
                ? " (a lambda is serializable only when written where a Serializable functional type,"
                        + " such as SerializableRunnable, is expected)"
                : "";
    }
}
