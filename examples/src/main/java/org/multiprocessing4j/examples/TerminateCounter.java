package org.multiprocessing4j.examples;

import org.multiprocessing4j.Process;

/**
 * Seed 004 ({@code 004_2494a207cb5afa26.txt}), {@code sub_func} counting to 100000: a child counts one
 * number a second; the main program lets it run for five seconds, then stops it with
 * {@link Process#terminate()} (SIGTERM).
 */
public final class TerminateCounter {
    private TerminateCounter() {
    }

    static void subFunc(String thing) {
        mainFunc(thing);
        int startNum = 1;
        int stop = 100000;
        for (int num = startNum; num < stop; num++) {
            System.out.println("\tNumber " + num + " of " + stop + ".");
            Time.sleep(1);
        }
    }

    static void mainFunc(String thing) {
        System.out.println("Process " + ProcessHandle.current().pid() + " says: " + thing);
    }

    public static void main(String[] args) {
        mainFunc("메인 프로그램");
        Process p = new Process(() -> subFunc("loop"));
        p.start();
        Time.sleep(5);
        p.terminate();
    }
}
