package org.multiprocessing4j.examples;

import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.Process;

/**
 * Seed 002 ({@code 002_e9303e7517d83abd.txt}), {@code daemon} and {@code non_daemon}: a daemonic child
 * that sleeps two seconds and a non-daemonic one that exits at once. The main program starts both and
 * returns; its JVM waits for the non-daemonic child, then terminates the daemonic one as it exits, so
 * {@code exiting: daemon} is never printed.
 */
public final class DaemonProcesses {
    private DaemonProcesses() {
    }

    static void daemon() {
        Process p = Multiprocessing.currentProcess();
        System.out.println("starting: " + p.name() + " " + p.pid());
        Time.sleep(2);
        System.out.println("exiting: " + p.name() + " " + p.pid());
    }

    static void nonDaemon() {
        Process p = Multiprocessing.currentProcess();
        System.out.println("starting: " + p.name() + " " + p.pid());
        System.out.println("exiting: " + p.name() + " " + p.pid());
    }

    public static void main(String[] args) {
        Process d = new Process(DaemonProcesses::daemon, "daemon");
        d.setDaemon(true);

        Process n = new Process(DaemonProcesses::nonDaemon, "non-daemon");
        n.setDaemon(false);

        d.start();
        Time.sleep(1);
        n.start();
    }
}
