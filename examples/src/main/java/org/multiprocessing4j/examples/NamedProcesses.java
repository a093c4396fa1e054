package org.multiprocessing4j.examples;

import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.Process;

/**
 * Seed 002 ({@code 002_e9303e7517d83abd.txt}), {@code worker} and {@code my_service}: processes named
 * {@code my_service} and {@code worker-1}, and one left unnamed, which gets the default name
 * {@code Process-3} because it is the third process created. Each prints its name as it starts and,
 * two or three seconds later, as it exits.
 */
public final class NamedProcesses {
    private NamedProcesses() {
    }

    static void worker() {
        String name = Multiprocessing.currentProcess().name();
        System.out.println(name + " starting");
        Time.sleep(2);
        System.out.println(name + " exiting");
    }

    static void myService() {
        String name = Multiprocessing.currentProcess().name();
        System.out.println(name + " starting");
        Time.sleep(3);
        System.out.println(name + " exiting");
    }

    public static void main(String[] args) {
        Process service = new Process(NamedProcesses::myService, "my_service");
        Process worker1 = new Process(NamedProcesses::worker, "worker-1");
        Process worker2 = new Process(NamedProcesses::worker);

        worker1.start();
        worker2.start();
        service.start();
    }
}
