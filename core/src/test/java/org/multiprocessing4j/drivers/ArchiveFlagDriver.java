package org.multiprocessing4j.drivers;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.multiprocessing4j.Process;

/**
 * Starts {@code n} children one after the other; each prints the archive flags its JVM was started with
 * ({@code -XX:AOTCache}, {@code -XX:SharedArchiveFile}, {@code -XX:ArchiveClassesAtExit}; file names only),
 * e.g. {@code child [-XX:AOTCache=child-….aot]}, or {@code child []}.
 */
public final class ArchiveFlagDriver {
    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        for (int i = 0; i < n; i++) {
            Process p = new Process(() -> System.out.println("child " + archiveFlags()));
            p.start();
            p.join();
            System.out.println("exit=" + p.exitCode());
        }
    }

    private static String archiveFlags() {
        List<String> argv = ProcessHandle.current().info().arguments().map(List::of).orElse(List.of());
        return argv.stream()
                .filter(a -> a.startsWith("-XX:AOTCache=") || a.startsWith("-XX:SharedArchiveFile=")
                        || a.startsWith("-XX:ArchiveClassesAtExit="))
                .map(a -> a.substring(0, a.indexOf('=') + 1) + Path.of(a.substring(a.indexOf('=') + 1)).getFileName())
                .collect(Collectors.joining(" ", "[", "]"));
    }
}
