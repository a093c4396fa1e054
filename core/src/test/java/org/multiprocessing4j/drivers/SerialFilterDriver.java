package org.multiprocessing4j.drivers;

import java.io.Serializable;
import org.multiprocessing4j.Connection;
import org.multiprocessing4j.Pipe;
import org.multiprocessing4j.Process;
import org.multiprocessing4j.ProcessError;

/**
 * Run with {@code -Dmultiprocessing4j.serialFilter=!…SerialFilterDriver$Forbidden;maxdepth=50}: the
 * parent and a child each send the other an object of the forbidden class, and the child an object
 * nested deeper than 50; prints {@code child=…}, {@code parent=…}, {@code deep=…} (what the receiver
 * got, or its error) and {@code after=…}, the message that followed.
 */
public final class SerialFilterDriver {
    /** A class the filter rejects. */
    public record Forbidden(int n) implements Serializable {
    }

    public static void main(String[] args) {
        try (Pipe pipe = Pipe.open()) {
            Connection childEnd = pipe.right();
            Process child = new Process(() -> {
                childEnd.send(receive(childEnd));
                childEnd.send(new Forbidden(2));
                childEnd.send(nested(60));
                childEnd.send(nested(40));
                childEnd.send("next");
            });
            child.start();
            Connection c = pipe.left();
            c.send(new Forbidden(1));
            System.out.println("child=" + c.recv());
            System.out.println("parent=" + receive(c));
            System.out.println("deep=" + receive(c));
            System.out.println("shallow=" + receive(c));
            System.out.println("after=" + c.recv());
            child.join();
            System.out.println("exit=" + child.exitCode());
        }
    }

    static String receive(Connection c) {
        try {
            Object o = c.recv();
            return "received " + (o instanceof Object[] ? "an Object[]" : o);
        } catch (ProcessError e) {
            return e.getMessage();
        }
    }

    /** Arrays in arrays, {@code depth} deep. */
    public static Object[] nested(int depth) {
        Object[] o = null;
        for (int i = 0; i < depth; i++) {
            o = new Object[] {o};
        }
        return o;
    }
}
