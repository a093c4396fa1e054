package org.multiprocessing4j.examples;

import java.util.ArrayList;
import java.util.List;
import org.multiprocessing4j.Process;

/**
 * Seed 001 ({@code 001_10ec99a3576242bf.txt}), {@code doubler} with {@code Process}: one process per
 * number, each doubling it and printing its own pid.
 */
public final class Doubler {
    private Doubler() {
    }

    static void doubler(int number) {
        int result = number * 2;
        long proc = ProcessHandle.current().pid();
        System.out.println(number + " doubled to " + result + " by process id: " + proc);
    }

    public static void main(String[] args) {
        int[] numbers = {0, 1, 2};
        List<Process> procs = new ArrayList<>();

        for (int number : numbers) {
            Process proc = new Process(() -> doubler(number));
            procs.add(proc);
            proc.start();
        }

        for (Process proc : procs) {
            proc.join();
        }
    }
}
