package org.multiprocessing4j.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** A directory's file names, and emptying one: for tests that look at what a run left in a directory. */
public final class Dirs {
    private Dirs() {
    }

    /** The names of the entries of {@code dir}, sorted. */
    public static List<String> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** Deletes every entry of {@code dir} (which must hold files only). */
    public static void clear(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                Files.delete(p);
            }
        }
    }
}
