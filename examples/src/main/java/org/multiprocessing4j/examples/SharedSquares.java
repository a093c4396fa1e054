package org.multiprocessing4j.examples;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.multiprocessing4j.Array;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.Process;
import org.multiprocessing4j.SharedIntArray;

/**
 * Beyond the seeds (issue 5): Python's {@code Array('i', 12)}. Three children each fill their third
 * of a shared array with squares, writing straight into shared memory (nothing is sent back), and the
 * parent prints the whole array once they are joined. The Python program it mirrors:
 *
 * <pre>
 * def fill(squares, start, stop):
 *     for i in range(start, stop):
 *         squares[i] = i * i
 *     print(current_process().name, "filled", start, "to", stop - 1)
 *
 * if __name__ == '__main__':
 *     squares = Array('i', 12)
 *     processes = [Process(target=fill, args=(squares, k * 4, k * 4 + 4)) for k in range(3)]
 *     for p in processes:
 *         p.start()
 *     for p in processes:
 *         p.join()
 *     print(squares[:])
 * </pre>
 */
public final class SharedSquares {
    private SharedSquares() {
    }

    static void fill(SharedIntArray squares, int start, int stop) {
        for (int i = start; i < stop; i++) {
            squares.set(i, i * i);
        }
        System.out.println(Multiprocessing.currentProcess().name() + " filled " + start + " to " + (stop - 1));
    }

    public static void main(String[] args) {
        try (SharedIntArray squares = Array.ofInts(12)) {
            List<Process> processes = new ArrayList<>();
            for (int k = 0; k < 3; k++) {
                int start = k * 4;
                processes.add(new Process(() -> fill(squares, start, start + 4)));
            }
            for (Process p : processes) {
                p.start();
            }
            for (Process p : processes) {
                p.join();
            }
            System.out.println(Arrays.toString(squares.toArray()));
        }
    }
}
