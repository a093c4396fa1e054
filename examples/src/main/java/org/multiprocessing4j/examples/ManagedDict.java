package org.multiprocessing4j.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.multiprocessing4j.Manager;
import org.multiprocessing4j.Namespace;
import org.multiprocessing4j.Process;

/**
 * Python's documentation example for {@code Manager()} ({@code f(d, l)}: a child writes a managed dict
 * and reverses a managed list), then four workers filling one managed dict at once, and a namespace.
 */
public final class ManagedDict {
    private ManagedDict() {
    }

    static void f(Map<Object, Object> d, List<Integer> l) {
        d.put(1, "1");
        d.put("2", 2);
        d.put(0.25, null);
        java.util.Collections.reverse(l);
    }

    public static void main(String[] args) {
        try (Manager manager = Manager.start()) {
            Map<Object, Object> d = manager.dict();
            List<Integer> l = manager.list(IntStream.range(0, 10).boxed().toList());
            Process p = new Process(() -> f(d, l));
            p.start();
            p.join();
            System.out.println(d);
            System.out.println(l);

            Map<String, Long> squares = manager.dict();
            Namespace ns = manager.namespace();
            ns.set("workers", 4);
            List<Process> workers = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                int worker = w;
                Process wp = new Process(() -> {
                    for (int i = worker; i < 20; i += 4) {
                        squares.put("square of " + i, (long) i * i);
                    }
                });
                wp.start();
                workers.add(wp);
            }
            for (Process wp : workers) {
                wp.join();
            }
            ns.set("entries", squares.size());
            ns.set("sum", squares.values().stream().mapToLong(Long::longValue).sum());
            System.out.println(ns);
        }
    }
}
