package org.multiprocessing4j.examples;

import java.util.ArrayList;
import java.util.List;
import org.multiprocessing4j.Process;

/**
 * Seed 002 ({@code 002_e9303e7517d83abd.txt}), {@code worker(num)}: five processes, each given its
 * number; the argument is captured by the lambda and serialized with it, where Python pickles
 * {@code args}.
 */
public final class WorkerArgs {
    private WorkerArgs() {
    }

    static void worker(int num) {
        System.out.println("worker " + num);
    }

    public static void main(String[] args) {
        List<Process> jobs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            int num = i;
            Process p = new Process(() -> worker(num));
            jobs.add(p);
            p.start();
        }
    }
}
