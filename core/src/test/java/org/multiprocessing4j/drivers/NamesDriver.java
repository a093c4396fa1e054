package org.multiprocessing4j.drivers;

import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.Process;

/** Prints the names Python would give, and what a child and a grandchild know of themselves. */
public final class NamesDriver {
    /** A subclass is named after itself, as in Python. */
    static final class Worker extends Process {
        private static final long serialVersionUID = 1L;
        @Override
        public void run() {
            System.out.println("worker.name=" + Multiprocessing.currentProcess().name());
        }
    }

    public static void main(String[] args) {
        Process first = new Process(NamesDriver::child);
        Process named = new Process(() -> { }, "custom");
        Process third = new Process(() -> { });
        Worker worker = new Worker();
        System.out.println("main.pid=" + ProcessHandle.current().pid());
        System.out.println("main.name=" + Multiprocessing.currentProcess().name());
        System.out.println("first=" + first.name());
        System.out.println("named=" + named.name());
        System.out.println("third=" + third.name());
        System.out.println("worker=" + worker.name());
        first.start();
        first.join();
        worker.start();
        worker.join();
        System.out.println("first.pid=" + first.pid());
        System.out.println("exit=" + first.exitCode() + "," + worker.exitCode());
    }

    static void child() {
        Process me = Multiprocessing.currentProcess();
        Process parent = Multiprocessing.parentProcess();
        System.out.println("child.name=" + me.name());
        System.out.println("child.pid=" + me.pid());
        System.out.println("child.ownpid=" + ProcessHandle.current().pid());
        System.out.println("child.daemon=" + me.isDaemon());
        System.out.println("child.alive=" + me.isAlive());
        System.out.println("parent.pid=" + parent.pid());
        System.out.println("parent.name=" + parent.name());
        System.out.println("parent.alive=" + parent.isAlive());
        System.out.println("parent.join=" + parent.join(java.time.Duration.ofMillis(10)));
        Process grandchild = new Process(() -> {
            System.out.println("grandchild.name=" + Multiprocessing.currentProcess().name());
            System.out.println("grandchild.parent.name=" + Multiprocessing.parentProcess().name());
            System.out.println("grandchild.parent.pid=" + Multiprocessing.parentProcess().pid());
        });
        System.out.println("grandchild.default=" + grandchild.name());
        grandchild.start();
        grandchild.join();
        System.out.println("grandchild.exit=" + grandchild.exitCode());
        System.out.println("child.children.after=" + Multiprocessing.activeChildren().size());
    }
}
