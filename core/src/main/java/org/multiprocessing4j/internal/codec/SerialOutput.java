package org.multiprocessing4j.internal.codec;

import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.ObjectStreamConstants;
import java.io.OutputStream;

/**
 * The library's {@link ObjectOutputStream}: the JDK's stream format, byte for byte, except the
 * {@code serialVersionUID} written for an array class, which is 0.
 *
 * <p>Why: an array class cannot declare a {@code serialVersionUID}, so the JDK's stream computes one, a
 * SHA-1 hash of the class, the first time it writes an array of each type. The first SHA-1 of a JVM sets
 * up the JCA providers, some 30 ms on this library's critical path: a parent's first {@code start()}
 * writes the target's {@code SerializedLambda}, whose captured arguments are an {@code Object[]}, and its
 * identity, an {@code int[]}. No reader compares an array class's {@code serialVersionUID}:
 * {@code ObjectInputStream} checks it for non-array classes only (Java Object Serialization
 * Specification, 4.6 and 5.6), so the value written for arrays is never read.
 */
public class SerialOutput extends ObjectOutputStream {

    /** A stream writing to {@code out}; writes the stream header at once, as its superclass does. */
    public SerialOutput(OutputStream out) throws IOException {
        super(out);
    }

    @Override
    protected void writeClassDescriptor(ObjectStreamClass desc) throws IOException {
        Class<?> c = desc.forClass();
        if (c == null || !c.isArray()) {
            super.writeClassDescriptor(desc);
            return;
        }
        // ObjectStreamClass.writeNonProxy for an array class: its name, a serialVersionUID, flags, no fields
        writeUTF(desc.getName());
        writeLong(0L);
        writeByte(ObjectStreamConstants.SC_SERIALIZABLE);
        writeShort(0);
    }
}
