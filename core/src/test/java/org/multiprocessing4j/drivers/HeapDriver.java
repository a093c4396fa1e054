package org.multiprocessing4j.drivers;

import org.multiprocessing4j.Process;

/** Starts one child, which prints "child ran"; the test reads what the JVMs' own logging printed too. */
public final class HeapDriver {
    public static void main(String[] args) {
        Process p = new Process(() -> System.out.println("child ran"));
        p.start();
        p.join();
    }
}
