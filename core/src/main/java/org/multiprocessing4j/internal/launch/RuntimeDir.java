package org.multiprocessing4j.internal.launch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * This JVM's private runtime directory ({@code <java.io.tmpdir>/mp4j-<pid>-<random>}, mode 0700),
 * where its children leave exit markers and, later, where socket files live. Created on first use;
 * removed by {@link #deleteIfCreated()} when the JVM exits.
 */
public final class RuntimeDir {
    private static volatile Path dir;

    private RuntimeDir() {
    }

    /** The directory, created on first call. */
    public static Path get() {
        Path d = dir;
        if (d == null) {
            synchronized (RuntimeDir.class) {
                d = dir;
                if (d == null) {
                    dir = d = create();
                }
            }
        }
        return d;
    }

    /** The directory if this JVM created one, else null. */
    public static Path ifCreated() {
        return dir;
    }

    private static Path create() {
        try {
            Path base = Path.of(System.getProperty("java.io.tmpdir"));
            String prefix = "mp4j-" + ProcessHandle.current().pid() + "-";
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

    /** Removes the directory and what is left in it. Called from the exit hook; never throws. */
    public static void deleteIfCreated() {
        Path d = dir;
        if (d == null) {
            return;
        }
        try (Stream<Path> walk = Files.walk(d)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort at exit
                }
            });
        } catch (IOException ignored) {
            // best effort at exit
        }
    }
}
