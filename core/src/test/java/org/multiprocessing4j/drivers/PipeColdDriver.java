package org.multiprocessing4j.drivers;

import org.multiprocessing4j.Connection;
import org.multiprocessing4j.Pipe;
import org.multiprocessing4j.Process;

/**
 * A first program that opens connections: a child sends a word through a pipe, and the parent reads it and
 * closes its ends. Exit status 0 if the word arrived and the child exited with 0.
 */
public final class PipeColdDriver {
    public static void main(String[] args) {
        Pipe pipe = Pipe.open(false);
        Connection sending = pipe.right();
        Process p = new Process(() -> sending.send("over"));
        p.start();
        boolean arrived = "over".equals(pipe.left().recv());
        p.join();
        pipe.close();
        System.exit(arrived && p.exitCode() == 0 ? 0 : 1);
    }
}
