package org.multiprocessing4j.internal.track;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.LinkOption;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.multiprocessing4j.internal.runtime.ChildContext;
import org.multiprocessing4j.internal.runtime.ExitActions;
import org.multiprocessing4j.internal.runtime.RuntimeDir;

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
 *   <li>The <b>registry</b> is the directory {@code live} in a directory of the main JVM,
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
 *   <li>At a normal exit of the main JVM, after its children have ended (see {@link ExitActions.Stage#RELEASE_TRACKER}),
 *       its exit action does the same in Java, then closes the pipe; the watcher finds nothing left.</li>
 *   <li>Who cleans up first <b>claims</b> the registry by renaming {@code live} to {@code closing}
 *       beside it (an atomic rename inside the private directory, where no one else can put a
 *       {@code closing} of their own), so the report is printed once. A process that registers after
 *       that finds no registry and fails to create its segment: the tree is ending.</li>
 *   <li>Only what is this user's is unlinked: a name listed whose file in {@code /dev/shm} is a link,
 *       not a regular file, or another user's is left alone.</li>
 *   <li>The registry and the watcher are made when first needed: the main JVM's first registration, or
 *       its first child, which must be told the path (CPython, too, starts its tracker when it spawns).</li>
 *   <li>If even the watcher was killed (say {@code kill -9} of the whole process group), the next main
 *       JVM that makes a registry unlinks what registries of ended main JVMs still list: only those in
 *       directories that are this user's, mode 0700 (see {@link RuntimeDir#isPrivateDir}), read without
 *       following links, so that a registry planted by someone else unlinks nothing.</li>
 * </ul>
 *
 * <p>Why not a tracker JVM: a second JVM costs a second of CPU and tens of MB for a process that
 * waits; the shell costs a millisecond and a megabyte. Why not an exit hook per JVM: it runs neither
 * after {@code kill -9} nor after a signal's halt, and it would destroy a segment that a child created
 * for its parent when the child exits.
 *
 * <p>As in CPython, a segment created by a child that was killed stays until the tree ends, or until
 * some process unlinks it. Without {@code /bin/sh} (a distroless image), the exit action still cleans
 * up at a normal exit.
 */
public final class ResourceTracker {
    /** The prefix of registry directories in {@code java.io.tmpdir}. */
    public static final String REGISTRY_PREFIX = "mp4j-track-";
    /** Where the shared-memory segments it tracks live (tmpfs on Linux); the segments' own directory. */
    public static final Path SEGMENT_DIR = Path.of("/dev/shm");
    static final String LIVE = "live";
    static final String CLOSING = "closing";

    /**
     * The watcher: {@code $1} is the registry, {@code $2} the segment directory. It waits for end of file
     * on stdin, claims the registry (a failed rename means the main JVM's exit action did the work),
     * unlinks what is listed and is a regular file of this user (not a link), reports it, and removes
     * the registry's directory. Only shell builtins run until the end, so it is one process.
     */
    static final String WATCHER_SCRIPT = String.join("\n",
            "trap '' HUP INT TERM PIPE",
            "while read -r _; do :; done",
            "d=\"${1%/*}\"",
            "c=\"$d/" + CLOSING + "\"",
            "mv -- \"$1\" \"$c\" 2>/dev/null || exit 0",
            "n=0",
            "l=",
            "for f in \"$c\"/* \"$c\"/.[!.]* \"$c\"/..?*; do",
            "  [ -e \"$f\" ] || continue",
            "  s=${f##*/}",
            "  if [ -f \"$2/$s\" ] && [ ! -h \"$2/$s\" ] && [ -O \"$2/$s\" ] && rm -f -- \"$2/$s\"; then",
            "    n=$((n + 1))",
            "    if [ -n \"$l\" ]; then l=\"$l, $s\"; else l=$s; fi",
            "  fi",
            "done",
            "rm -rf -- \"$d\"",
            "[ \"$n\" -eq 0 ] || printf '%s\\n' \"" + reportLine("$n", "[$l]") + "\" >&2",
            "");

    private static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rwx------");
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
                r = makeRegistry();
                isRoot = true;
                sweepStale(r);
                startWatcher(r);
                ExitActions.jvm().at(ExitActions.Stage.RELEASE_TRACKER, ResourceTracker::atExit);
                registry = r;
            }
        }
        return r;
    }

    /** Makes the registry's private directory and the registry in it; returns the registry. */
    private static Path makeRegistry() {
        Path base = Path.of(System.getProperty("java.io.tmpdir"));
        String prefix = REGISTRY_PREFIX + ProcessHandle.current().pid() + "-";
        try {
            Path dir = RuntimeDir.createPrivate(base, prefix);
            try {
                return Files.createDirectory(dir.resolve(LIVE), PosixFilePermissions.asFileAttribute(PRIVATE));
            } catch (UnsupportedOperationException notPosix) {
                return Files.createDirectory(dir.resolve(LIVE));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the resource tracker's registry in " + base, e);
        }
    }

    /** The owner of {@code p}, read without following a link; null where files have no POSIX owner. */
    private static UserPrincipal ownerOf(Path p) {
        try {
            return Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS).owner();
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }

    private static void startWatcher(Path dir) {
        try {
            watcher = new ProcessBuilder("/bin/sh", "-c", WATCHER_SCRIPT, "mp4j-resource-tracker", dir.toString(),
                    SEGMENT_DIR.toString())
                    .redirectInput(ProcessBuilder.Redirect.PIPE)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
        } catch (IOException | RuntimeException noShell) {
            // the exit action still cleans up at a normal exit; after a kill -9, the next sweep does
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
     * Claims a registry of this JVM's tree, unlinks the segments it lists that are still there (and
     * are this user's regular files), removes it with its directory, and returns their names, sorted.
     * Returns nothing if someone else claimed it first.
     */
    static List<String> cleanUp(Path dir) {
        Path closing = dir.resolveSibling(CLOSING);
        UserPrincipal user = ownerOf(dir.getParent());
        try {
            Files.move(dir, closing, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException claimedOrGone) {
            return List.of();
        }
        List<String> leaked = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(closing)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (unlinkSegment(name, user)) {
                    leaked.add(name);
                }
                deleteQuietly(entry);
            }
        } catch (IOException ignored) {
            // best effort
        }
        deleteQuietly(closing);
        deleteQuietly(dir.getParent());
        Collections.sort(leaked);
        return leaked;
    }

    /**
     * Unlinks {@code /dev/shm/<name>} if it is a regular file of {@code user} (null: where files have
     * no owners, if it is a regular file), never a link or what one points to. {@code /dev/shm} is
     * sticky: no other user can swap the name between the check and the unlink.
     *
     * @return whether it was unlinked
     */
    private static boolean unlinkSegment(String name, UserPrincipal user) {
        if (name.isEmpty() || name.equals(".") || name.equals("..") || name.indexOf('/') >= 0) {
            return false;
        }
        Path file = SEGMENT_DIR.resolve(name);
        try {
            BasicFileAttributes a = user == null
                    ? Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                    : Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!a.isRegularFile() || (user != null && !((PosixFileAttributes) a).owner().equals(user))) {
                return false;
            }
            return Files.deleteIfExists(file);
        } catch (IOException | RuntimeException goneOrNotOurs) {
            return false;
        }
    }

    /**
     * Cleans up the registries of main JVMs that no longer run and whose watcher did not (it was
     * killed too); makes this JVM's registry first if it has none. Only registries in directories
     * that are this user's, mode 0700, are read (see {@link RuntimeDir#isPrivateDir}), without
     * following links; a registry already claimed is left to its claimer.
     */
    public static void sweepStale() {
        Path own = registry(true);
        sweepStale(own);
    }

    private static void sweepStale(Path own) {
        Path mine = own.getParent();
        UserPrincipal user = ownerOf(mine);
        if (user == null) {
            return; // no owners to check: sweep nothing
        }
        List<Path> stale = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(mine.getParent(), REGISTRY_PREFIX + "*")) {
            if (!(entries instanceof SecureDirectoryStream<Path> base)) {
                return; // no way to check and use a directory as one: leave them
            }
            for (Path p : entries) {
                Path name = p.getFileName();
                if (!name.equals(mine.getFileName()) && RuntimeDir.ofEndedProcess(name.toString(), REGISTRY_PREFIX)) {
                    stale.add(name);
                }
            }
            for (Path name : stale) {
                String pidText = name.toString().substring(REGISTRY_PREFIX.length(),
                        name.toString().indexOf('-', REGISTRY_PREFIX.length()));
                report(cleanUpStale(base, name, user), pidText);
            }
        } catch (IOException | RuntimeException ignored) {
            // sweeping is housekeeping only
        }
    }

    /**
     * {@link #cleanUp} for the registry in {@code base/name}, a directory left by another main JVM:
     * every step is relative to a directory held open and checked first, so that nothing can be
     * swapped in between.
     */
    private static List<String> cleanUpStale(SecureDirectoryStream<Path> base, Path name, UserPrincipal user) {
        List<String> leaked = new ArrayList<>();
        Path live = Path.of(LIVE);
        Path closing = Path.of(CLOSING);
        try (SecureDirectoryStream<Path> top = base.newDirectoryStream(name, LinkOption.NOFOLLOW_LINKS)) {
            if (!RuntimeDir.isPrivateDir(top.getFileAttributeView(PosixFileAttributeView.class).readAttributes(), user)) {
                return List.of();
            }
            try {
                top.move(live, top, closing); // the claim; fails if the registry is gone or claimed
            } catch (IOException claimedOrGone) {
                return List.of();
            }
            try (SecureDirectoryStream<Path> list = top.newDirectoryStream(closing, LinkOption.NOFOLLOW_LINKS)) {
                if (!list.getFileAttributeView(PosixFileAttributeView.class).readAttributes().owner().equals(user)) {
                    return List.of(); // inside a private directory of ours, so no one else's: leave the oddity
                }
                List<Path> names = new ArrayList<>();
                list.forEach(p -> names.add(p.getFileName()));
                for (Path entry : names) {
                    if (unlinkSegment(entry.toString(), user)) {
                        leaked.add(entry.toString());
                    }
                    try {
                        list.deleteFile(entry);
                    } catch (IOException | RuntimeException leftInPlace) {
                        // a directory, say: the registry stays
                    }
                }
            }
            top.deleteDirectory(closing);
            base.deleteDirectory(name);
        } catch (IOException | RuntimeException bestEffort) {
            // what is left stays
        }
        Collections.sort(leaked);
        return leaked;
    }

    private static void report(List<String> leaked, String endedRootPid) {
        if (leaked.isEmpty()) {
            return;
        }
        String line = reportLine(Integer.toString(leaked.size()), leaked.toString());
        if (endedRootPid != null) {
            line += " (left by the process tree of pid " + endedRootPid + ", which ended without cleaning up)";
        }
        // stderr, not a logger: CPython's resource tracker warns there, and this runs at exit, when
        // java.util.logging's own shutdown hook may already have closed its handlers
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
