package org.multiprocessing4j.examples;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs the examples one after the other, each in a JVM of its own, so that each one's exit is real:
 * its JVM waits for non-daemonic children and terminates daemonic ones when {@code main} returns.
 *
 * <p>Usage: {@code java -jar multiprocessing4j-examples.jar [--list] [name...]}. Without names it runs
 * every example; a name is an example's key (see {@code --list}) or class name. Exits with 1 if an
 * example exited with a status other than 0, with 2 on a bad argument. Each example JVM uses this
 * JVM's {@code java} and class path and shares its terminal. If this JVM is stopped, the example running
 * is killed, and its children then exit because their parent is gone.
 */
public final class Tour {
    private Tour() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        List<Example> selected = new ArrayList<>();
        for (String arg : args) {
            if (arg.equals("--list")) {
                for (Example e : Example.values()) {
                    System.out.println(e.listing());
                }
                return;
            }
            if (arg.equals("-h") || arg.equals("--help")) {
                usage(System.out);
                return;
            }
            Optional<Example> e = Example.byName(arg);
            if (e.isEmpty()) {
                System.err.println("no example named '" + arg + "'");
                usage(System.err);
                System.exit(2);
            }
            selected.add(e.get());
        }
        if (selected.isEmpty()) {
            selected.addAll(List.of(Example.values()));
        }

        List<String> failed = new ArrayList<>();
        AtomicReference<java.lang.Process> running = new AtomicReference<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            java.lang.Process p = running.get();
            if (p != null) {
                p.destroyForcibly();
            }
        }, "tour-stop-example"));

        for (Example e : selected) {
            System.out.println(e.heading());
            System.out.println("Look for: " + e.lookFor());
            System.out.println();
            long start = System.nanoTime();
            java.lang.Process p = command(e).inheritIO().start();
            running.set(p);
            int status = p.waitFor();
            running.set(null);
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.println();
            System.out.println(String.format(Locale.ROOT, "--- %s: exit %d after %.1f s", e.key(), status, seconds));
            System.out.println();
            if (status != 0) {
                failed.add(e.key() + " (exit " + status + ")");
            }
        }
        if (!failed.isEmpty()) {
            System.err.println("failed: " + String.join(", ", failed));
            System.exit(1);
        }
    }

    /** The command that runs one example: this JVM's {@code java}, its class path, the example's class. */
    static ProcessBuilder command(Example e) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), e.mainClass().getName());
    }

    private static void usage(PrintStream out) {
        out.println("usage: java -jar multiprocessing4j-examples.jar [--list] [name...]");
        out.println("examples:");
        for (Example e : Example.values()) {
            out.println("  " + e.listing());
        }
    }
}
