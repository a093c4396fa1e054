/**
 * How values become bytes and back (CPython's {@code reduction.py}): JDK serialization behind the
 * deserialization filter ({@link org.multiprocessing4j.internal.codec.SerialFilter}), the compact codec
 * for the values that cross most often ({@link org.multiprocessing4j.internal.codec.Codec}), and the one
 * message vocabulary of the library's protocols ({@link org.multiprocessing4j.internal.codec.MessageWriter},
 * {@link org.multiprocessing4j.internal.codec.MessageReader}), each message within the message limit.
 *
 * <p>May import: the JDK and {@code wire}'s {@code MessageLimit}. Nothing of the public package.
 */
package org.multiprocessing4j.internal.codec;
