package org.multiprocessing4j.drivers;

import java.util.List;
import java.util.stream.Collectors;
import org.multiprocessing4j.Pool;
import org.multiprocessing4j.Process;

/**
 * {@code no-children}: a daemonic child tries to start a child of its own.
 * {@code exit}: main returns while a daemonic child sleeps and a non-daemonic child works for a
 * second; the JVM must wait for the second and terminate the first.
 * {@code exit-call}: the same wait, when main calls {@code System.exit}.
 * {@code signalled}: main joins a child that sleeps; the test sends this JVM SIGTERM.
 * {@code unclosed-pool}: main maps on a pool and returns without closing it.
 */
public final class DaemonDriver {
    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "no-children" -> {
                Process daemon = new Process(() -> {
                    try {
                        new Process(() -> { }).start();
                        System.out.println("started a grandchild");
                    } catch (IllegalStateException e) {
                        System.out.println("refused=" + e.getMessage());
                    }
                });
                daemon.setDaemon(true);
                daemon.start();
                daemon.join();
                System.out.println("exit=" + daemon.exitCode());
            }
            case "exit" -> {
                Process daemon = new Process(() -> sleep(60_000), "daemon");
                daemon.setDaemon(true);
                Process worker = new Process(() -> {
                    sleep(1_000);
                    System.out.println("non-daemon done");
                }, "non-daemon");
                daemon.start();
                worker.start();
                System.out.println("daemon.pid=" + daemon.pid());
                System.out.println("worker.pid=" + worker.pid());
                System.out.println("main returns");
            }
            case "exit-call" -> {
                Process worker = new Process(() -> {
                    sleep(1_000);
                    System.out.println("non-daemon done");
                }, "non-daemon");
                worker.start();
                System.out.println("main calls System.exit");
                System.exit(4);
            }
            case "signalled" -> {
                Process worker = new Process(() -> sleep(60_000), "non-daemon");
                worker.start();
                System.out.println("worker.pid=" + worker.pid());
                worker.join();
                System.out.println("joined");
            }
            case "unclosed-pool" -> {
                Pool pool = new Pool(2);
                System.out.println("mapped=" + pool.map((Integer x) -> x * 2, List.of(1, 2, 3)));
                System.out.println("workers=" + pool.workerPids().stream().map(String::valueOf)
                        .collect(Collectors.joining(",")));
                System.out.println("main returns");
            }
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
