package org.multiprocessing4j.drivers;

import org.multiprocessing4j.Process;

/** A child that starts a child; the grandchild prints the system property {@code mp4j.test.mark} as it sees it. */
public final class GrandchildDriver {
    public static void main(String[] args) {
        Process child = new Process(() -> {
            Process grandchild = new Process(() -> System.out.println("grandchild sees " + System.getProperty("mp4j.test.mark")));
            grandchild.start();
            grandchild.join();
            System.exit(grandchild.exitCode());
        });
        child.start();
        child.join();
        System.out.println("exit=" + child.exitCode());
    }
}
