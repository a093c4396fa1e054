package org.multiprocessing4j.examples;

import java.util.ArrayList;
import java.util.List;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.Process;

/**
 * Seed 002 ({@code 002_e9303e7517d83abd.txt}), {@code info(title)} and {@code f(name)}: the main
 * program and three children each print who they are: the module (here the class), the parent's pid
 * and their own pid. In a child the parent is {@link Multiprocessing#parentProcess()}; in the main
 * JVM, whatever started it.
 *
 * <p>The Python original iterates a generator twice, so its joins never run and the interpreter
 * waits for the children at exit; this port joins them. The output is the same.
 */
public final class ProcessInfo {
    private ProcessInfo() {
    }

    static void info(String title) {
        System.out.println(title);
        System.out.println("module name: " + ProcessInfo.class.getName());
        System.out.println("parent process: " + parentPid());
        System.out.println("process id: " + ProcessHandle.current().pid());
    }

    static void f(String name) {
        info("function f");
        System.out.println(name);
    }

    private static String parentPid() {
        Process parent = Multiprocessing.parentProcess();
        if (parent != null) {
            return String.valueOf(parent.pid());
        }
        return ProcessHandle.current().parent().map(h -> String.valueOf(h.pid())).orElse("None");
    }

    public static void main(String[] args) {
        info("main line");
        List<Process> p = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            p.add(new Process(() -> f("bob")));
        }

        for (Process th : p) {
            th.start();
        }

        for (Process th : p) {
            th.join();
        }
    }
}
