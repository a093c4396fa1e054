package org.multiprocessing4j.internal.pool;

import java.util.ArrayList;
import java.util.List;
import org.multiprocessing4j.TaskFunction;
import org.multiprocessing4j.internal.codec.MessageReader;
import org.multiprocessing4j.internal.codec.MessageWriter;

/**
 * Runs a worker's own hot code on made-up chunks before it takes work, so that the JIT compiles it
 * first. A new JVM interprets a method until it has been called about a hundred times, or until one of
 * its loops has turned tens of thousands of times: without this, a worker's first map of 100,000
 * integers (its decoding, its loop over the function, its encoding) would run interpreted to the end,
 * several times slower than it runs a minute later. Here each of those methods is called on small
 * chunks until it passes the JIT's threshold; it takes a few milliseconds and touches no state a task
 * could see. The user's function needs no help: it is called once per value, and soon compiled.
 */
public final class PoolWarmUp {
    /**
     * Rounds over the four samples: each method is called 4 × 32 times and turns its loop 16 times a
     * call, past the JIT's threshold for compiling it (100 calls and 2,000 calls and loop turns).
     */
    private static final int ROUNDS = 32;
    /** Rounds for {@link #runDeep}: past the optimizing compiler's threshold (some 15,000 calls and turns). */
    private static final int DEEP_ROUNDS = 2_000;
    private static final int CHUNK = 16;
    private static volatile boolean done;

    private PoolWarmUp() {
    }

    /** Warms the pool's code in this JVM, once; later calls return at once. Never throws. */
    public static void run() {
        run(ROUNDS);
    }

    /**
     * For a spare JVM, which has time while it waits: so many rounds that the JIT's optimizing compiler
     * takes the code too, with the function's call seen on several classes so that its compiled form
     * stays valid for the user's. Otherwise that compiling happens during a worker's first maps, on the
     * cores the pool's work needs.
     */
    public static void runDeep() {
        run(DEEP_ROUNDS);
    }

    private static void run(int rounds) {
        if (done) {
            return;
        }
        done = true;
        try {
            List<List<?>> samples = samples();
            List<TaskFunction<Object, Object>> fns = List.of(new Same(), new Named(), new Boxed());
            for (int round = 0; round < rounds; round++) {
                TaskFunction<Object, Object> same = round < ROUNDS ? fns.get(0) : fns.get(round % fns.size());
                for (List<?> sample : samples) {
                    MessageWriter out = new MessageWriter("values", 256);
                    PoolWire.writeValues(out, sample);
                    List<Object> args = PoolWire.readValues(new MessageReader("values", out.array(), 0, out.length()));
                    byte[] message = PoolWire.resultMessage(round, WorkerMain.applyEach(same, args));
                    MessageReader in = new MessageReader("pool message", message, 9, message.length - 9);
                    if (PoolWire.readValues(in).size() != sample.size()) {
                        throw new AssertionError("warm-up: values lost");
                    }
                }
            }
        } catch (Exception | Error e) {
            // warming is an optimisation only
        }
    }

    /** The function of the made-up tasks; a class, not a lambda, whose bootstrap would cost more than the rest. */
    private static final class Same implements TaskFunction<Object, Object> {
        private static final long serialVersionUID = 1L;

        @Override
        public Object apply(Object x) {
            return x;
        }
    }

    /** A second function class: the call in the worker's loop must not be compiled for one class only. */
    private static final class Named implements TaskFunction<Object, Object> {
        private static final long serialVersionUID = 1L;

        @Override
        public Object apply(Object x) {
            return x instanceof Integer ? x : String.valueOf(x);
        }
    }

    /** A third. */
    private static final class Boxed implements TaskFunction<Object, Object> {
        private static final long serialVersionUID = 1L;

        @Override
        public Object apply(Object x) {
            return x instanceof Number n ? (Object) n.longValue() : x;
        }
    }

    /** Chunks of each kind {@link PoolWire#writeValues} treats apart: ints, longs, doubles, anything. */
    private static List<List<?>> samples() {
        List<Integer> ints = new ArrayList<>();
        List<Long> longs = new ArrayList<>();
        List<Double> doubles = new ArrayList<>();
        List<Object> mixed = new ArrayList<>();
        for (int i = 0; i < CHUNK; i++) {
            ints.add(i);
            longs.add((long) i << 33);
            doubles.add(i / 3.0);
            mixed.add(i % 2 == 0 ? String.valueOf(i) : i); // no string concatenation: its bootstrap costs more than the rest
        }
        return List.of(ints, longs, doubles, mixed);
    }
}
