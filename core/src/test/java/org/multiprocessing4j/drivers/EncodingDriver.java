package org.multiprocessing4j.drivers;

import org.multiprocessing4j.Process;

/** Prints Korean from the parent and from a child, to check both encode stdout the same way. */
public final class EncodingDriver {
    public static void main(String[] args) {
        System.out.println("parent: 메인 프로그램");
        Process p = new Process(() -> System.out.println("child: 서브 프로그램"));
        p.start();
        p.join();
    }
}
