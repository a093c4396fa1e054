package org.multiprocessing4j.bench.programs;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.multiprocessing4j.Pool;

/**
 * Monte Carlo π, ported line by line from {@code bench/python/programs/monte_carlo.py}: 8 chunks of
 * 2,000,000 random points, each chunk seeded with its number, counted by {@code Pool(2).map}.
 * {@code --serial} runs the same chunks one after another in this JVM, the yardstick of what two
 * processes should gain.
 *
 * <pre>
 *   java -cp multiprocessing4j-bench.jar org.multiprocessing4j.bench.programs.MonteCarlo [--serial]
 * </pre>
 */
public final class MonteCarlo {
    private static final int CHUNKS = 8;
    private static final int SAMPLES = 2_000_000;

    private MonteCarlo() {
    }

    /** How many of {@code n} random points of the unit square fall in the quarter circle. */
    static long sample(long seed, int n) {
        Random rng = new Random(seed);
        long inside = 0;
        for (int i = 0; i < n; i++) {
            double x = rng.nextDouble();
            double y = rng.nextDouble();
            if (x * x + y * y <= 1.0) {
                inside++;
            }
        }
        return inside;
    }

    public static void main(String[] args) {
        boolean serial = args.length > 0 && args[0].equals("--serial");
        List<Long> seeds = new ArrayList<>();
        for (long i = 0; i < CHUNKS; i++) {
            seeds.add(i);
        }
        List<Long> counts;
        if (serial) {
            counts = seeds.stream().map(s -> sample(s, SAMPLES)).toList();
        } else {
            try (Pool pool = new Pool(2)) {
                counts = pool.map(s -> sample(s, SAMPLES), seeds);
            }
        }
        long inside = counts.stream().mapToLong(Long::longValue).sum();
        System.out.printf("pi ~ %.4f from %d points%n", 4.0 * inside / ((long) CHUNKS * SAMPLES), (long) CHUNKS * SAMPLES);
    }
}
