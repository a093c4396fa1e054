package org.multiprocessing4j.drivers;

import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.Process;

/** Prints the start method of this JVM and of a child. */
public final class StartMethodDriver {
    public static void main(String[] args) {
        System.out.println("parent=" + Multiprocessing.getStartMethod());
        Process p = new Process(() -> System.out.println("child=" + Multiprocessing.getStartMethod()));
        p.start();
        p.join();
    }
}
