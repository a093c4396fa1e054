package org.multiprocessing4j.drivers;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.multiprocessing4j.Pool;
import org.multiprocessing4j.Process;
import org.multiprocessing4j.ProcessError;

/**
 * Children that cannot start. {@code main}, on a class path without the library, loads the library and
 * {@link Program} from the directories it is given through a class loader of its own, as a Spring Boot
 * fat jar does: a child started with this JVM's class path cannot load {@code ChildMain}.
 * {@link Program#main} alone, on the whole class path, is for children that fail otherwise (a
 * {@code multiprocessing4j.java} that does not start them).
 *
 * <p>Modes: {@code pool} ({@code new Pool(2).map(…)}, then another submission), {@code process}
 * ({@code join()} and {@code exitCode()} of one process), {@code flaky} (a pool of one worker, one task
 * per worker, which must get through workers that die at start now and then).
 */
public final class StartFailureDriver {
    private StartFailureDriver() {
    }

    /** {@code main(mode, dir…)}: runs {@link Program} with the library loaded from the directories. */
    public static void main(String[] args) throws Exception {
        List<URL> urls = new ArrayList<>();
        for (String dir : Arrays.copyOfRange(args, 1, args.length)) {
            urls.add(new File(dir).toURI().toURL());
        }
        try (URLClassLoader loader = new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
            Thread.currentThread().setContextClassLoader(loader);
            Class<?> program = Class.forName(Program.class.getName(), true, loader);
            program.getMethod("main", String[].class).invoke(null, (Object) new String[] {args[0]});
        }
    }

    /** The program itself. */
    public static final class Program {
        private Program() {
        }

        public static void main(String[] args) {
            switch (args[0]) {
                case "pool" -> pool();
                case "process" -> process();
                case "flaky" -> flaky();
                default -> throw new IllegalArgumentException(args[0]);
            }
            System.out.println("end=ok");
        }

        private static void pool() {
            long start = System.nanoTime();
            try (Pool pool = new Pool(2)) {
                try {
                    System.out.println("result=" + pool.map(Program::twice, List.of(1, 2, 3, 4)));
                } catch (ProcessError e) {
                    System.out.println("map=" + e.getClass().getName());
                    System.out.println("map-message=" + e.getMessage() + "\n=end");
                }
                System.out.println("elapsedMillis=" + (System.nanoTime() - start) / 1_000_000);
                try {
                    System.out.println("result=" + pool.apply(() -> 42));
                } catch (RuntimeException e) {
                    System.out.println("apply=" + e.getClass().getName());
                    System.out.println("apply-message=" + e.getMessage() + "\n=end");
                }
            }
        }

        private static void process() {
            Process p = new Process(() -> System.out.println("ran"));
            p.start();
            try {
                p.join();
                System.out.println("join=returned");
            } catch (ProcessError e) {
                System.out.println("join=" + e.getClass().getName());
                System.out.println("join-message=" + e.getMessage() + "\n=end");
            }
            System.out.println("alive=" + p.isAlive());
            try {
                System.out.println("exitCode=" + p.exitCode());
            } catch (ProcessError e) {
                System.out.println("exitCode=" + e.getClass().getName());
                System.out.println("exitCode-message=" + e.getMessage() + "\n=end");
            }
            p.close();
        }

        private static void flaky() {
            try (Pool pool = Pool.builder().processes(1).maxTasksPerChild(1).build()) {
                System.out.println("result=" + pool.map(Program::twice, List.of(1, 2, 3), 1));
            }
        }

        private static int twice(int x) {
            return 2 * x;
        }
    }
}
