package org.multiprocessing4j.drivers;

import org.multiprocessing4j.Process;

/**
 * A newcomer's first program: one process whose target captures arrays, started and joined in a new JVM.
 * Exit status 0 if the child ran and saw the arrays.
 */
public final class ColdStartDriver {
    public static void main(String[] args) {
        int[] numbers = {1, 2, 3};
        String[] words = {"a", "b"};
        Process p = new Process(() -> System.exit(numbers.length == 3 && words.length == 2 ? 0 : 5));
        p.start();
        p.join();
        System.exit(p.exitCode() == 0 ? 0 : 1);
    }
}
