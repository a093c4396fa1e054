package org.multiprocessing4j.examples;

import java.util.Arrays;
import org.multiprocessing4j.Process;
import org.multiprocessing4j.Queue;

/**
 * Seed 002 ({@code 002_e9303e7517d83abd.txt}), {@code f(q)}: a child puts a list into a queue and the
 * parent prints what it gets. Java prints Python's {@code None} as {@code null}.
 */
public final class QueueHello {
    private QueueHello() {
    }

    static void f(Queue<Object> q) {
        q.put(Arrays.asList(55, null, "hello", "world"));
    }

    public static void main(String[] args) {
        Queue<Object> q = new Queue<>();
        Process p = new Process(() -> f(q));
        p.start();
        System.out.println(q.get());
        p.join();
    }
}
