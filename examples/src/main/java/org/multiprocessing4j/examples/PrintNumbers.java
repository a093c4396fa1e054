package org.multiprocessing4j.examples;

import org.multiprocessing4j.Process;

/**
 * Seed 000 ({@code 000_16b221fee1a698a8.txt}), {@code print_numbers}: two processes count to 5 and to 3,
 * one number a second, at the same time; the main program joins both and then says so.
 */
public final class PrintNumbers {
    private PrintNumbers() {
    }

    static void printNumbers(int n) {
        for (int i = 1; i <= n; i++) {
            System.out.println("Number: " + i);
            Time.sleep(1);
        }
    }

    public static void main(String[] args) {
        Process process1 = new Process(() -> printNumbers(5));
        Process process2 = new Process(() -> printNumbers(3));

        process1.start();
        process2.start();

        process1.join();
        process2.join();

        System.out.println("All processes are complete.");
    }
}
