package org.multiprocessing4j.examples;

import java.util.Locale;
import java.util.Optional;

/**
 * The examples the {@link Tour} runs, in tour order: for each, the name it is selected by, the seed it
 * comes from (null for one beyond the seeds), a title, the Python program it mirrors, and what to look
 * for in its output.
 */
enum Example {
    SQUARE_NUMBERS("square-numbers", SquareNumbers.class, "000", "results through a queue", "square_numbers",
            "three lists of squares, put by three children into one queue; main joins them before reading, safely."),
    PRINT_NUMBERS("print-numbers", PrintNumbers.class, "000", "two counters side by side", "print_numbers",
            "two children count at once, to 5 and to 3, a second per number; the last line waits for both joins."),
    DOUBLER("doubler", Doubler.class, "001", "one process per number", "doubler",
            "three lines, three different child pids; the order is whichever JVM prints first."),
    POOL_DOUBLER("pool-doubler", PoolDoubler.class, "001", "a pool of three", "Pool(3).map(doubler, range(0,10))",
            "ten lines from at most three worker pids; then close+join, and a second pool terminated mid-work."),
    POOL_PROGRESS("pool-progress", PoolProgress.class, "001", "a long map with a progress bar", "Pool.map, beyond the seed",
            "a bar that fills on one line as chunks finish, then the sum 2646700 of the squares of 0..199."),
    WORKERS("workers", Workers.class, "002", "five workers", "worker",
            "five 'worker' lines; main never joins, yet its JVM waits for the children before exiting."),
    WORKER_ARGS("worker-args", WorkerArgs.class, "002", "workers with an argument", "worker(num)",
            "worker 0 to 4, each number captured by its lambda; the order may vary."),
    NAMED("named", NamedProcesses.class, "002", "named processes", "worker, my_service",
            "the unnamed process is Process-3 (the third created); workers exit after 2 s, my_service after 3 s."),
    DAEMON("daemon", DaemonProcesses.class, "002", "daemon processes", "daemon, non_daemon",
            "no 'exiting: daemon': main ends once non-daemon is done, and its JVM terminates the daemon as it exits."),
    QUEUE("queue", QueueHello.class, "002", "an object through a queue", "f(q)",
            "the list the child put: [55, null, hello, world] (Python prints None as None)."),
    INFO("info", ProcessInfo.class, "002", "who is my parent", "info(title)",
            "the main line's parent is the Tour's JVM; each 'function f' names the main line's pid as its parent."),
    SQUARE("square", SquareJoin.class, "003", "join a list of processes", "square",
            "processes \"1\" to \"9\" sleep 1-3 s at random, finish out of order; 'Main-Processing Done!' comes last."),
    SUB_PROGRAMS("sub-programs", SubPrograms.class, "004", "main and sub programs", "sub_func, main_func",
            "the main program and four sub programs, each with its own pid; the order of the sub programs may vary."),
    TERMINATE("terminate", TerminateCounter.class, "004", "terminate a counter", "sub_func counting to 100000",
            "the counter gets to about 5, then terminate() (SIGTERM) stops it, five seconds after it started."),
    SHARED_COUNTER("shared-counter", SharedCounter.class, null, "a shared counter", "Value('i', 0), get_lock()",
            "without the lock, four processes lose increments: usually less than 4000, never more; with it, exactly 4000."),
    SHARED_ARRAY("shared-array", SharedSquares.class, null, "a shared array", "Array('i', 12)",
            "three children fill a third each, in any order; then the twelve squares 0 to 121, in place."),
    MANAGED_DICT("managed-dict", ManagedDict.class, null, "a managed dict and list", "Manager(): f(d, l)",
            "{1=1, 2=2, 0.25=null} and the list reversed, written by a child; then four workers' 20 squares."),
    REMOTE_MANAGER("remote-manager", RemoteManager.class, null, "a remote manager", "QueueManager, get_queue",
            "a client JVM connects by address and authkey, takes the server's two items and puts one back."),
    CLUSTER("cluster", ClusterMap.class, null, "a pool on a cluster", "Pool on members, beyond multiprocessing",
            "8 squares, each naming its member and worker; a member killed mid-map, and still all 40 results, once.");

    private final String key;
    private final Class<?> mainClass;
    private final String seed;
    private final String title;
    private final String python;
    private final String lookFor;

    Example(String key, Class<?> mainClass, String seed, String title, String python, String lookFor) {
        this.key = key;
        this.mainClass = mainClass;
        this.seed = seed;
        this.title = title;
        this.python = python;
        this.lookFor = lookFor;
    }

    /** The example selected by {@code name}: its key or its class's simple name, in any case. */
    static Optional<Example> byName(String name) {
        for (Example e : values()) {
            if (e.key.equalsIgnoreCase(name) || e.mainClass.getSimpleName().equalsIgnoreCase(name)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    String key() {
        return key;
    }

    Class<?> mainClass() {
        return mainClass;
    }

    /**
     * {@code === seed 002: daemon processes (daemon, non_daemon) ===}, or {@code === beyond the seeds: …}
     * for one that no seed has.
     */
    String heading() {
        return "=== " + (seed == null ? "beyond the seeds" : "seed " + seed) + ": " + title + " (" + python + ") ===";
    }

    String lookFor() {
        return lookFor;
    }

    /** One line of {@code --list}. */
    String listing() {
        return String.format(Locale.ROOT, "%-14s seed %-3s  %-17s %s", key, seed == null ? "-" : seed,
                mainClass.getSimpleName(), title);
    }
}
