package org.multiprocessing4j.internal.launch;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import org.multiprocessing4j.internal.runtime.ChildContext;
import org.multiprocessing4j.internal.runtime.StartMethod;

/**
 * What a parent hands a new child on the child's stdin, before anything else.
 *
 * <pre>
 *   int    MAGIC ('MP4J')
 *   int    VERSION
 *   int    authkey length, then the authkey bytes   (never in argv or the environment)
 *   long   parent pid
 *   UTF    parent name
 *   UTF    the exit marker: the file the child creates when it exits of its own accord
 *   UTF    start method the child uses for its own children
 *   UTF    the resource tracker's registry of the process tree (see ResourceTracker)
 *   int    task length, then the serialized Process (its target travels inside it)
 * </pre>
 *
 * After the bootstrap the parent keeps the pipe open and writes nothing more: end of file on it means
 * the parent is gone (see {@link Lifeline}).
 */
public record Bootstrap(byte[] authkey, long parentPid, String parentName, String exitMarker,
                        String startMethod, String trackRegistry, byte[] task) {

    /**
     * The file a child creates once it has read its bootstrap and its task, beside its exit marker
     * ({@code start-<pid>} for {@code exit-<pid>}): a child that ends without it never ran its task.
     */
    static java.nio.file.Path startMarker(java.nio.file.Path exitMarker) {
        String exit = exitMarker.getFileName().toString();
        return exitMarker.resolveSibling("start-" + exit.substring(exit.indexOf('-') + 1));
    }

    static final int MAGIC = 0x4d50344a; // "MP4J"
    static final int VERSION = 2;

    void writeTo(DataOutputStream out) throws IOException {
        out.writeInt(MAGIC);
        out.writeInt(VERSION);
        out.writeInt(authkey.length);
        out.write(authkey);
        out.writeLong(parentPid);
        out.writeUTF(parentName);
        out.writeUTF(exitMarker);
        out.writeUTF(startMethod);
        out.writeUTF(trackRegistry);
        out.writeInt(task.length);
        out.write(task);
        out.flush();
    }

    /** Reads a bootstrap from {@code in}, as a child reads its own from stdin; reads ahead of it, buffered. */
    static Bootstrap readFrom(InputStream stream) throws IOException {
        DataInputStream in = new DataInputStream(new BufferedInputStream(stream, 8192));
        if (in.readInt() != MAGIC) {
            throw new IOException("stdin does not start with a multiprocessing4j bootstrap;"
                    + " this class is started by Process.start(), not by hand");
        }
        int version = in.readInt();
        if (version != VERSION) {
            throw new IOException("bootstrap version " + version + ", expected " + VERSION);
        }
        byte[] authkey = in.readNBytes(in.readInt());
        long parentPid = in.readLong();
        String parentName = in.readUTF();
        String exitMarker = in.readUTF();
        String startMethod = in.readUTF();
        String trackRegistry = in.readUTF();
        int taskLength = in.readInt();
        byte[] task = in.readNBytes(taskLength);
        if (task.length != taskLength) {
            throw new IOException("parent closed the pipe in the middle of the bootstrap");
        }
        return new Bootstrap(authkey, parentPid, parentName, exitMarker, startMethod, trackRegistry, task);
    }

    /** What the child inherits from its parent, for {@link ChildContext#install}. */
    ChildContext.Inherited inherited() {
        return new ChildContext.Inherited(parentPid, parentName, authkey, StartMethod.of(startMethod), trackRegistry);
    }
}
