package org.multiprocessing4j.drivers;

import org.multiprocessing4j.Process;

/**
 * A non-daemonic child with a grandchild, and a daemonic child, all of which would sleep for a minute;
 * the test kills this JVM with SIGKILL.
 */
public final class OrphanDriver {
    public static void main(String[] args) {
        Process child = new Process(() -> {
            Process grandchild = new Process(() -> {
                System.out.println("grandchild.pid=" + ProcessHandle.current().pid());
                DaemonDriver.sleep(60_000);
            });
            grandchild.start();
            System.out.println("child.pid=" + ProcessHandle.current().pid());
            grandchild.join();
        });
        Process daemon = new Process(() -> {
            System.out.println("daemon.pid=" + ProcessHandle.current().pid());
            DaemonDriver.sleep(60_000);
        });
        daemon.setDaemon(true);
        child.start();
        daemon.start();
        child.join();
    }
}
