package org.multiprocessing4j.examples;

import java.util.List;
import java.util.stream.IntStream;
import org.multiprocessing4j.Pool;

/**
 * Seed 001 ({@code 001_10ec99a3576242bf.txt}), {@code doubler} with {@code Pool(3)}: {@code map} hands
 * the numbers 0 to 9 to three worker processes, each printing its pid. Then the seed's three lifecycle
 * calls: {@code close} (here {@code shutdown}: no new work), {@code join} (wait for the workers), and
 * {@code terminate} on a second pool (stop at once, without finishing the outstanding work).
 */
public final class PoolDoubler {
    private PoolDoubler() {
    }

    static int doubler(int number) {
        int result = number * 2;
        long proc = ProcessHandle.current().pid();
        System.out.println(number + " doubled to " + result + " by process id: " + proc);
        return result;
    }

    public static void main(String[] args) {
        Pool p = new Pool(3);
        p.map(PoolDoubler::doubler, IntStream.range(0, 10).boxed().toList(), 1);
        p.shutdown(); // Python's pool.close(): no new jobs
        p.join();     // wait until the workers have finished and exited
        System.out.println("pool closed and joined: " + p.isTerminated());

        Pool q = new Pool(3);
        List<Integer> never = List.of(1, 2, 3);
        var outstanding = q.mapAsync(x -> {
            sleep(60_000);
            return x;
        }, never, 1);
        q.terminate(); // stops the workers now, outstanding work and all
        q.join();
        System.out.println("pool terminated; outstanding work cancelled: " + outstanding.isCancelled()
                + ", finished: " + outstanding.ready());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
