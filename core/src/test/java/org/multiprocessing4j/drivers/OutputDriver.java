package org.multiprocessing4j.drivers;

import org.multiprocessing4j.Process;

/** What a child prints reaches the parent's stdout and stderr; its stdin is empty; crashes are reported. */
public final class OutputDriver {
    public static void main(String[] args) throws Exception {
        Process talker = new Process(() -> {
            System.out.println("out from child");
            System.err.println("err from child");
            try {
                System.out.println("stdin=" + System.in.read());
            } catch (java.io.IOException e) {
                System.out.println("stdin=" + e);
            }
        });
        talker.start();
        talker.join();
        Process crasher = new Process(() -> {
            throw new IllegalStateException("boom in child");
        }, "crasher");
        crasher.start();
        crasher.join();
        System.out.println("exit=" + talker.exitCode() + "," + crasher.exitCode());
    }
}
