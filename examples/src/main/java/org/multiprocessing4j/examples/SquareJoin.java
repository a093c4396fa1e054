package org.multiprocessing4j.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.Process;

/**
 * Seed 003 ({@code 003_ea0ca98f695d7506.txt}), {@code square}: nine processes named "1" to "9" each
 * sleep one to three seconds at random and print their square, so they finish out of order; the main
 * program keeps them in a list, joins them all, and only then prints its last line.
 */
public final class SquareJoin {
    private SquareJoin() {
    }

    static void square(int n) {
        Time.sleep(ThreadLocalRandom.current().nextInt(1, 4));
        long processId = ProcessHandle.current().pid();
        String processName = Multiprocessing.currentProcess().name();

        int result = n * n;

        System.out.println("Process ID: " + processId + ", Process Name: " + processName);
        System.out.println("Result of " + n + " square: " + result);
    }

    public static void main(String[] args) {
        List<Process> processes = new ArrayList<>();

        for (int i = 1; i < 10; i++) {
            int n = i;
            Process t = new Process(() -> square(n), String.valueOf(i));
            processes.add(t);
            t.start();
        }

        for (Process process : processes) {
            process.join();
        }

        System.out.println("Main-Processing Done!");
    }
}
