package org.multiprocessing4j.drivers;

import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.multiprocessing4j.Connection;
import org.multiprocessing4j.Listener;
import org.multiprocessing4j.Pipe;
import org.multiprocessing4j.Process;
import org.multiprocessing4j.ProcessError;
import org.multiprocessing4j.Queue;

/**
 * Run with {@code -Dmultiprocessing4j.maxMessageBytes=1048576}: sends and puts more than that, and
 * prints, one line each, {@code name=sent} or {@code name=<the refusal's message>}. With the argument
 * {@code receive <key>} it listens instead, prints {@code address=…}, and prints {@code received=…} for
 * the one message a client sends.
 */
public final class MessageLimitDriver {
    private static final int MIB = 1 << 20;

    /** Writes 16 MiB of its own: far past the limit, however it is encoded. */
    static final class Endless implements Serializable {
        private static final long serialVersionUID = 1L;

        private void writeObject(ObjectOutputStream out) throws IOException {
            byte[] chunk = new byte[MIB];
            for (int i = 0; i < 16; i++) {
                out.write(chunk);
            }
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("receive")) {
            receive(args[1].getBytes());
            return;
        }
        try (Pipe pipe = Pipe.open()) {
            Connection childEnd = pipe.right();
            Process echo = new Process(() -> {
                Object o;
                while ((o = childEnd.recv()) != null) {
                    childEnd.send(o instanceof byte[] b ? "a byte[] of " + b.length : o);
                }
            });
            echo.start();
            Connection c = pipe.left();
            report("bytes", () -> c.send(new byte[2 * MIB]));
            report("string", () -> c.send("é".repeat(MIB)));
            report("longs", () -> c.send(new long[MIB / 4]));
            report("list", () -> c.send(strings(200_000)));
            report("endless", () -> c.send(new Endless()));
            report("fits", () -> c.send(new byte[MIB - 1]));
            c.send("still usable");
            System.out.println("echo=" + c.recv() + ", " + c.recv());

            Queue<Object> q = new Queue<>();
            report("put", () -> q.put(new byte[2 * MIB]));
            report("putObject", () -> q.put(new Endless()));
            Process putter = new Process(() -> {
                report("childPut", () -> q.put(strings(200_000)));
                q.put("after");
            });
            putter.start();
            System.out.println("taken=" + q.take());
            putter.join();
            for (int i = 0; i < 3; i++) { // items as large as a message may be, to a consumer in a child
                q.put(new byte[MIB - 1]);
            }
            Queue<String> sizes = new Queue<>();
            Process taker = new Process(() -> {
                StringBuilder got = new StringBuilder();
                for (int i = 0; i < 3; i++) {
                    got.append(i == 0 ? "" : ",").append(((byte[]) q.get()).length);
                }
                sizes.put(got.toString());
            });
            taker.start();
            System.out.println("takenInChild=" + sizes.poll(30, java.util.concurrent.TimeUnit.SECONDS));
            taker.join();
            q.close();
            c.send(null);
            echo.join();
            System.out.println("exits=" + echo.exitCode() + "," + putter.exitCode() + "," + taker.exitCode());
        }
    }

    private static void receive(byte[] key) {
        try (Listener listener = new Listener("127.0.0.1:0", key)) {
            System.out.println("address=" + listener.address());
            try (Connection c = listener.accept()) {
                System.out.println("received=a byte[] of " + c.recvBytes().length);
            } catch (ProcessError e) {
                System.out.println("received=" + e.getMessage());
            }
        }
    }

    /** Distinct strings, serialized: about 15 bytes each. */
    static List<String> strings(int n) {
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add("item number " + i);
        }
        return out;
    }

    static void report(String name, Runnable send) {
        try {
            send.run();
            System.out.println(name + "=sent");
        } catch (IllegalArgumentException e) {
            System.out.println(name + "=" + e.getMessage());
        }
    }
}
