package org.multiprocessing4j.internal.track;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.multiprocessing4j.internal.launch.ChildContext;
import org.multiprocessing4j.internal.launch.RuntimeDir;
import org.multiprocessing4j.internal.shm.Segment;

/**
 * The resource tracker of a process tree (CPython's {@code resource_tracker}): the shared-memory
 * segments that the processes of a tree (the main JVM, its children, grandchildren …) created and did
 * not unlink are unlinked when the tree is gone, and reported once on stderr. Also when the creating
 * process was killed with {@code kill -9}, and also when the main JVM was: its children end with it
 * (their lifeline closes), and the watcher below does the work. A process that only attached to a
 * segment never registers it, so its exit destroys nothing (CPython's gh-82300).
 *
 * <h2>How</h2>
 * <ul>
 *   <li>The <b>registry</b> is a directory of the main JVM,
 *       {@code <java.io.tmpdir>/mp4j-track-<pid>-<random>}, mode 0700 (not in the runtime directory,
 *       whose files are the JVM's own). Registering a segment creates an empty file named after it
 *       there; unregistering deletes the file. Any process of the tree may do either: a child learns
 *       the path in its bootstrap, which a {@code forkserver} spare also receives only when it is
 *       handed its task, so a spare registers with the tree of the process that used it.</li>
 *   <li>The <b>watcher</b> is {@code /bin/sh -c} {@link #WATCHER_SCRIPT}, started by the main JVM with
 *       a pipe on its stdin that the main JVM holds and never writes: it waits, using no CPU, for end
 *       of file, which comes when the main JVM exits or is killed. Then it unlinks every segment still
 *       listed, prints the report, removes the registry and exits. It ignores SIGHUP, SIGINT and
 *       SIGTERM, which a terminal sends the whole process group, so that it outlives the main JVM
 *       long enough to do its work.</li>
 *   <li>At a normal exit of the main JVM, after its children have ended (see {@link RuntimeDir#onExitLast}),
 *       its exit hook does the same in Java, then closes the pipe; the watcher finds nothing left.</li>
 *   <li>Who cleans up first <b>claims</b> the registry by renaming it to {@code <registry>.closing}
 *       (an atomic rename), so the report is printed once. A process that registers after that finds
 *       no registry and fails to create its segment: the tree is ending.</li>
 *   <li>The registry and the watcher are made when first needed: the main JVM's first registration, or
 *       its first child, which must be told the path (CPython, too, starts its tracker when it spawns).</li>
 *   <li>If even the watcher was killed (say {@code kill -9} of the whole process group), the next main
 *       JVM that makes a registry unlinks what registries of ended main JVMs still list.</li>
 * </ul>
 *
 * <p>Why not a tracker JVM: a second JVM costs a second of CPU and tens of MB for a process that
 * waits; the shell costs a millisecond and a megabyte. Why not an exit hook per JVM: it runs neither
 * after {@code kill -9} nor after a signal's halt, and it would destroy a segment that a child created
 * for its parent when the child exits.
 *
 * <p>As in CPython, a segment created by a child that was killed stays until the tree ends, or until
 * some process unlinks it. Without {@code /bin/sh} (a distroless image), the exit hook still cleans
 * up at a normal exit.
 */
public final class ResourceTracker {
    /** The prefix of registry directories in {@code java.io.tmpdir}. */
    public static final String REGISTRY_PREFIX = "mp4j-track-";
    static final String CLOSING = ".closing";

    /**
     * The watcher: {@code $1} is the registry, {@code $2} the segment directory. It waits for end of file
     * on stdin, claims the registry (a failed rename means the main JVM's exit hook did the work),
     * unlinks what is listed and still exists, reports it, and removes the registry. Only shell
     * builtins run until the end, so it is one process.
     */
    static final String WATCHER_SCRIPT = String.join("\n",
            "trap '' HUP INT TERM PIPE",
            "while read -r _; do :; done",
            "c=\"$1" + CLOSING + "\"",
            "mv -- \"$1\" \"$c\" 2>/dev/null || exit 0",
            "n=0",
            "l=",
            "for f in \"$c\"/* \"$c\"/.[!.]* \"$c\"/..?*; do",
            "  [ -e \"$f\" ] || continue",
            "  s=${f##*/}",
            "  if [ -e \"$2/$s\" ] && rm -f -- \"$2/$s\"; then",
            "    n=$((n + 1))",
            "    if [ -n \"$l\" ]; then l=\"$l, $s\"; else l=$s; fi",
            "  fi",
            "done",
            "rm -rf -- \"$c\"",
            "[ \"$n\" -eq 0 ] || printf '%s\\n' \"" + reportLine("$n", "[$l]") + "\" >&2",
            "");

    private static final Object LOCK = new Object();
    private static volatile Path registry;      // null until first needed
    private static boolean isRoot;              // guarded by LOCK: this JVM made the registry
    private static java.lang.Process watcher;   // guarded by LOCK; null in a child or without /bin/sh

    private ResourceTracker() {
    }

    /**
     * Registers a segment this process created: the tree unlinks it when it ends, unless it is
     * unregistered first.
     *
     * @throws IllegalStateException if the tree's main process has ended (its registry is gone)
     */
    public static void register(String name) {
        Path dir = registry(true);
        try {
            Files.createFile(dir.resolve(name));
        } catch (FileAlreadyExistsException alreadyListed) {
            // created again after another process unlinked it without unregistering: still listed
        } catch (NoSuchFileException gone) {
            throw new IllegalStateException("cannot track shared-memory segment '" + name
                    + "': the resource tracker of this process tree has shut down (its main process ended)");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot register shared-memory segment '" + name
                    + "' with the resource tracker in " + dir, e);
        }
    }

    /** Stops tracking a segment (it was unlinked). Never throws. */
    public static void unregister(String name) {
        Path dir = registry(false);
        if (dir != null) {
            try {
                Files.deleteIfExists(dir.resolve(name));
            } catch (IOException | RuntimeException ignored) {
                // the registry is gone (the tree is ending) or unreadable: nothing to stop
            }
        }
    }

    /** The registry's path for a child's bootstrap; in the main JVM, makes the registry and the watcher first. */
    public static String registryForChildren() {
        return registry(true).toString();
    }

    /** The pid of the watcher this JVM started, or -1 (in a child, or before it is needed). */
    public static long watcherPid() {
        synchronized (LOCK) {
            return watcher == null ? -1 : watcher.pid();
        }
    }

    /** The registry if this JVM knows one (it made it, or it is a child), else null. Makes nothing. */
    public static Path registryIfKnown() {
        return registry(false);
    }

    /** The names of the segments the tree has registered and not unlinked; empty if there is no registry. */
    public static Set<String> registered() {
        Set<String> names = new TreeSet<>();
        Path dir = registry(false);
        if (dir != null) {
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
                for (Path p : entries) {
                    names.add(p.getFileName().toString());
                }
            } catch (IOException gone) {
                // claimed: the tree is ending
            }
        }
        return names;
    }

    private static Path registry(boolean make) {
        Path r = registry;
        if (r != null) {
            return r;
        }
        String inherited = ChildContext.trackRegistry();
        if (inherited != null && !inherited.isEmpty()) {
            registry = r = Path.of(inherited);
            return r;
        }
        if (!make) {
            return null;
        }
        synchronized (LOCK) {
            r = registry;
            if (r == null) {
                sweepStale();
                r = makeRegistry();
                isRoot = true;
                startWatcher(r);
                RuntimeDir.onExitLast(ResourceTracker::atExit);
                registry = r;
            }
        }
        return r;
    }

    private static Path makeRegistry() {
        Path base = Path.of(System.getProperty("java.io.tmpdir"));
        String prefix = REGISTRY_PREFIX + ProcessHandle.current().pid() + "-";
        try {
            try {
                return Files.createTempDirectory(base, prefix,
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (UnsupportedOperationException notPosix) {
                return Files.createTempDirectory(base, prefix);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the resource tracker's registry in " + base, e);
        }
    }

    private static void startWatcher(Path dir) {
        try {
            watcher = new ProcessBuilder("/bin/sh", "-c", WATCHER_SCRIPT, "mp4j-resource-tracker", dir.toString(),
                    Segment.DIR.toString())
                    .redirectInput(ProcessBuilder.Redirect.PIPE)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
        } catch (IOException | RuntimeException noShell) {
            // the exit hook still cleans up at a normal exit; after a kill -9, the next sweep does
            watcher = null;
        }
    }

    /** The main JVM's exit, after its children have ended: clean up, report, and let the watcher go. */
    private static void atExit() {
        java.lang.Process w;
        Path dir;
        synchronized (LOCK) {
            if (!isRoot) {
                return;
            }
            dir = registry;
            w = watcher;
        }
        report(cleanUp(dir), null);
        if (w != null) {
            try (OutputStream lifeline = w.getOutputStream()) {
                lifeline.flush();
            } catch (IOException ignored) {
                // already gone
            }
            try {
                w.waitFor(2, TimeUnit.SECONDS); // it only finds the registry claimed and exits
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Claims a registry, unlinks the segments it lists that still exist, removes it, and returns their
     * names, sorted. Returns nothing if someone else claimed it first.
     */
    static List<String> cleanUp(Path dir) {
        Path closing = dir.resolveSibling(dir.getFileName() + CLOSING);
        try {
            Files.move(dir, closing, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException claimedOrGone) {
            return List.of();
        }
        List<String> leaked = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(closing)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                try {
                    if (Files.deleteIfExists(Segment.DIR.resolve(name))) {
                        leaked.add(name);
                    }
                } catch (IOException | RuntimeException ignored) {
                    // best effort: not ours to remove after all, or not a file
                }
                deleteQuietly(entry);
            }
        } catch (IOException ignored) {
            // best effort
        }
        deleteQuietly(closing);
        Collections.sort(leaked);
        return leaked;
    }

    /**
     * Cleans up the registries of main JVMs that no longer run and whose watcher did not (it was
     * killed too). A registry being claimed ({@code .closing}) is left to its claimer.
     */
    public static void sweepStale() {
        Path base = Path.of(System.getProperty("java.io.tmpdir"));
        List<Path> stale = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(base, REGISTRY_PREFIX + "*")) {
            for (Path p : entries) {
                String name = p.getFileName().toString();
                int dash = name.indexOf('-', REGISTRY_PREFIX.length());
                if (dash < 0 || name.endsWith(CLOSING) || !Files.isDirectory(p) || !Files.isWritable(p)) {
                    continue;
                }
                try {
                    long pid = Long.parseLong(name.substring(REGISTRY_PREFIX.length(), dash));
                    if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                        stale.add(p);
                    }
                } catch (NumberFormatException notOurs) {
                    // some other program's file
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // sweeping is housekeeping only
        }
        for (Path p : stale) {
            String name = p.getFileName().toString();
            String pid = name.substring(REGISTRY_PREFIX.length(), name.indexOf('-', REGISTRY_PREFIX.length()));
            report(cleanUp(p), pid);
        }
    }

    private static void report(List<String> leaked, String endedRootPid) {
        if (leaked.isEmpty()) {
            return;
        }
        String line = reportLine(Integer.toString(leaked.size()), leaked.toString());
        if (endedRootPid != null) {
            line += " (left by the process tree of pid " + endedRootPid + ", which ended without cleaning up)";
        }
        System.err.println(line);
        System.err.flush();
    }

    /** CPython's warning, word for word after our prefix, so that it reads the same in both. */
    static String reportLine(String count, String names) {
        return "multiprocessing4j resource_tracker: There appear to be " + count
                + " leaked shared_memory objects to clean up at shutdown: " + names;
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException | RuntimeException ignored) {
            // best effort
        }
    }
}
