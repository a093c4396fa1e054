package org.multiprocessing4j.internal.launch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * This JVM's private runtime directory ({@code <java.io.tmpdir>/mp4j-<pid>-<random>}, mode 0700), where
 * its children leave exit markers and its sockets live. Created on first use.
 *
 * <p>Removed when the JVM ends: by the exit hook ({@link #onExit}: the work registered there, such as
 * waiting for children, runs first, then the directory goes), and before a {@link #halt}, which runs no
 * hooks. A JVM killed with SIGKILL cannot remove its own; the next JVM that creates a runtime
 * directory removes those whose owner's pid no longer runs.
 */
public final class RuntimeDir {
    private static final String PREFIX = "mp4j-";
    private static volatile Path dir;
    private static volatile Runnable beforeDelete; // guarded by RuntimeDir.class for writes
    private static volatile Runnable last;         // guarded by RuntimeDir.class for writes
    private static boolean hooked;                 // guarded by RuntimeDir.class

    private RuntimeDir() {
    }

    /** The directory, created on first call. */
    public static Path get() {
        Path d = dir;
        if (d == null) {
            synchronized (RuntimeDir.class) {
                d = dir;
                if (d == null) {
                    sweepStale();
                    dir = d = create();
                    installHook();
                }
            }
        }
        return d;
    }

    /** The directory if this JVM created one, else null. */
    public static Path ifCreated() {
        return dir;
    }

    /**
     * Work for the JVM's exit, done before the directory is removed (at most one; a later call
     * replaces it). It runs in the exit hook, which {@link #get()} installs.
     */
    public static synchronized void onExit(Runnable work) {
        beforeDelete = work;
        get();
    }

    /**
     * Work for the JVM's exit that must come after the work of {@link #onExit} (which ends the
     * children) and before the directory is removed; at most one, a later call replaces it. Installs
     * the exit hook without creating the directory.
     */
    public static synchronized void onExitLast(Runnable work) {
        last = work;
        installHook();
    }

    private static synchronized void installHook() {
        if (!hooked) {
            Runtime.getRuntime().addShutdownHook(new Thread(RuntimeDir::exitHook, "mp4j-exit"));
            hooked = true;
        }
    }

    private static final java.util.List<Runnable> BEFORE_HALT = new java.util.concurrent.CopyOnWriteArrayList<>();

    /**
     * Work for {@link #halt} (which runs no shutdown hooks), before the directory goes: it must be
     * quick and must not block, e.g. waking a thread blocked in a native read, for which the JVM
     * would otherwise wait 300 ms as it exits.
     */
    public static void beforeHalt(Runnable work) {
        BEFORE_HALT.add(work);
    }

    /** Removes the directory, then halts: for exits that run no shutdown hooks. */
    public static void halt(int status) {
        for (Runnable work : BEFORE_HALT) {
            try {
                work.run();
            } catch (RuntimeException ignored) {
                // halting anyway
            }
        }
        deleteIfCreated();
        Runtime.getRuntime().halt(status);
    }

    private static void exitHook() {
        Runnable work = beforeDelete;
        try {
            if (work != null) {
                work.run();
            }
        } finally {
            Runnable after = last;
            if (after != null) {
                after.run();
            }
        }
        deleteIfCreated();
    }

    private static Path create() {
        try {
            Path base = Path.of(System.getProperty("java.io.tmpdir"));
            String prefix = PREFIX + ProcessHandle.current().pid() + "-";
            try {
                return Files.createTempDirectory(base, prefix,
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (UnsupportedOperationException notPosix) {
                return Files.createTempDirectory(base, prefix);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the runtime directory for child processes", e);
        }
    }

    /** Removes the runtime directories of JVMs that no longer run (killed, so they could not). */
    private static void sweepStale() {
        Path base = Path.of(System.getProperty("java.io.tmpdir"));
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(base, PREFIX + "*")) {
            for (Path p : entries) {
                String name = p.getFileName().toString();
                int dash = name.indexOf('-', PREFIX.length());
                if (dash < 0 || !Files.isDirectory(p) || !Files.isWritable(p)) {
                    continue;
                }
                try {
                    long pid = Long.parseLong(name.substring(PREFIX.length(), dash));
                    if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                        continue;
                    }
                } catch (NumberFormatException notOurs) {
                    continue;
                }
                deleteTree(p);
            }
        } catch (IOException | RuntimeException ignored) {
            // sweeping is housekeeping only
        }
    }

    /** Removes the directory and what is left in it. Never throws. */
    public static void deleteIfCreated() {
        Path d = dir;
        if (d != null) {
            deleteTree(d);
        }
    }

    private static void deleteTree(Path root) {
        if (!deleteTreeOnce(root)) {
            deleteTreeOnce(root); // a file vanished while the walk listed it: once more for the rest
        }
    }

    private static boolean deleteTreeOnce(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort
                }
            });
            return true;
        } catch (java.nio.file.NoSuchFileException gone) {
            return true;
        } catch (IOException | java.io.UncheckedIOException e) {
            return false; // best effort
        }
    }
}
