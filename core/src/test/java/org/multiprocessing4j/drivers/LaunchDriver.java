package org.multiprocessing4j.drivers;

import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.Process;

/** Starts {@code n} children one after the other, each printing its name; used for every launch mode. */
public final class LaunchDriver {
    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        for (int i = 0; i < n; i++) {
            Process p = new Process(() -> System.out.println("child-ran " + Multiprocessing.currentProcess().name()));
            p.start();
            p.join();
            System.out.println("exit=" + p.exitCode());
        }
    }
}
