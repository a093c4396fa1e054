package org.multiprocessing4j.internal.manager;

import java.io.IOException;
import java.lang.reflect.Method;
import java.util.Arrays;
import org.multiprocessing4j.RemoteException;
import org.multiprocessing4j.internal.codec.MessageReader;
import org.multiprocessing4j.internal.codec.MessageWriter;
import org.multiprocessing4j.internal.codec.Serialization;

/**
 * An exception thrown by a served object, on its way to the caller ({@link ManagerProtocol#THROWN}):
 * its type, message and stack trace always, and the exception itself when it can be serialized.
 */
final class Thrown {
    private Thrown() {
    }

    /** The THROWN reply that carries {@code t}. */
    static MessageWriter reply(Throwable t) {
        MessageWriter w = ManagerProtocol.reply(ManagerProtocol.THROWN, 512);
        w.writeString(t.getClass().getName());
        w.writeString(t.getMessage());
        StackTraceElement[] trace = t.getStackTrace();
        w.writeInt(trace.length);
        for (StackTraceElement e : trace) {
            w.writeString(e.getClassName());
            w.writeString(e.getMethodName());
            w.writeString(e.getFileName());
            w.writeInt(e.getLineNumber());
        }
        byte[] whole;
        try {
            whole = Serialization.toBytes(t, "the exception");
        } catch (IllegalArgumentException notSerializable) {
            whole = new byte[0];
        }
        w.writeInt(whole.length);
        w.write(whole);
        return w;
    }

    /**
     * The exception to throw in the caller of {@code method}: the served object's own exception when it
     * arrived whole and the method may throw it (unchecked, or a checked type the method declares),
     * else a {@link RemoteException} (with the original as its cause when it arrived). Its stack trace
     * is the server's, then a frame naming the manager, then the caller's.
     */
    static Throwable read(MessageReader r, Method method, String manager) throws IOException {
        String type = r.readString();
        String message = r.readString();
        int frames = r.readInt();
        r.checkCount(frames, 16, "stack frames"); // four fields of 4 bytes or more each
        StackTraceElement[] remote = new StackTraceElement[frames];
        for (int i = 0; i < frames; i++) {
            String cls = r.readString();
            String name = r.readString();
            String file = r.readString();
            remote[i] = new StackTraceElement(cls, name, file, r.readInt());
        }
        byte[] whole = r.readBytes(r.readInt());
        Throwable t = null;
        if (whole.length > 0) {
            try {
                t = (Throwable) Serialization.fromBytes(whole);
            } catch (IOException | ClassNotFoundException | RuntimeException | LinkageError cannotReadItHere) {
                t = null;
            }
        }
        StackTraceElement[] trace = withCaller(remote, manager);
        if (t == null) {
            return new RemoteException(type, message, trace);
        }
        t.setStackTrace(trace);
        if (t instanceof RuntimeException || t instanceof Error || declares(method, t)) {
            return t;
        }
        return new RemoteException(t);
    }

    /** The server's frames, a frame that names the manager, then the calling thread's frames. */
    static StackTraceElement[] withCaller(StackTraceElement[] remote, String manager) {
        StackTraceElement[] here = new Throwable().getStackTrace();
        int skip = 0;
        while (skip < here.length && here[skip].getClassName().startsWith("org.multiprocessing4j.internal.manager.")) {
            skip++;
        }
        while (skip < here.length && here[skip].getClassName().startsWith("jdk.proxy")
                || skip < here.length && here[skip].getClassName().startsWith("com.sun.proxy")) {
            skip++;
        }
        StackTraceElement[] out = Arrays.copyOf(remote, remote.length + 1 + here.length - skip);
        out[remote.length] = new StackTraceElement("<<manager " + manager + ">>", "remote call", null, -1);
        System.arraycopy(here, skip, out, remote.length + 1, here.length - skip);
        return out;
    }

    private static boolean declares(Method method, Throwable t) {
        if (method == null) {
            return false;
        }
        for (Class<?> c : method.getExceptionTypes()) {
            if (c.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
