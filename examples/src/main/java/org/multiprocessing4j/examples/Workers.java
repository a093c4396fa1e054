package org.multiprocessing4j.examples;

import java.util.ArrayList;
import java.util.List;
import org.multiprocessing4j.Process;

/**
 * Seed 002 ({@code 002_e9303e7517d83abd.txt}), {@code worker}: five processes each print one word. The
 * main program never joins them; its JVM waits for its non-daemonic children before it exits, as
 * Python's interpreter does.
 */
public final class Workers {
    private Workers() {
    }

    static void worker() {
        System.out.println("worker");
    }

    public static void main(String[] args) {
        List<Process> jobs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Process p = new Process(Workers::worker);
            jobs.add(p);
            p.start();
        }
    }
}
