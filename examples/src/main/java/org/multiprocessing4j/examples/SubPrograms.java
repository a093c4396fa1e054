package org.multiprocessing4j.examples;

import org.multiprocessing4j.Process;

/**
 * Seed 004 ({@code 004_2494a207cb5afa26.txt}), {@code sub_func} and {@code main_func}: the main program
 * and four sub programs each say who they are, with their own pid. The main program does not join;
 * its JVM waits for the children before it exits.
 */
public final class SubPrograms {
    private SubPrograms() {
    }

    static void subFunc(String thing) {
        mainFunc(thing);
    }

    static void mainFunc(String thing) {
        System.out.println("Process " + ProcessHandle.current().pid() + " says: " + thing);
    }

    public static void main(String[] args) {
        mainFunc("메인 프로그램");
        for (int i = 0; i < 4; i++) {
            String thing = "서브 프로그램 " + i;
            Process p = new Process(() -> subFunc(thing));
            p.start();
        }
    }
}
