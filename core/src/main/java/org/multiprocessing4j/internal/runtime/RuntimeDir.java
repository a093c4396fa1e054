package org.multiprocessing4j.internal.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * This JVM's private runtime directory ({@code <java.io.tmpdir>/mp4j-<pid>-<random>}, mode 0700), where
 * its children leave exit markers and its sockets live. Created on first use.
 *
 * <p>Removed when the JVM ends, last of its exit actions (see {@link ExitActions}): at an exit, once the
 * children have ended, and before a halt. A JVM killed with SIGKILL cannot remove its own; the next JVM that creates a runtime
 * directory removes those whose owner's pid no longer runs, if they are this user's and mode 0700,
 * never following a link (see {@link #deleteTree}). The directory holds files, sockets and pipes,
 * and at most one level of directories; a removal leaves anything deeper.
 */
public final class RuntimeDir {
    private static final String PREFIX = "mp4j-";
    private static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rwx------");
    private static volatile Path dir;
    private static volatile UserPrincipal user;

    private RuntimeDir() {
    }

    /** The directory, created on first call. */
    public static Path get() {
        Path d = dir;
        if (d == null) {
            synchronized (RuntimeDir.class) {
                d = dir;
                if (d == null) {
                    d = create();
                    sweepStale(d);
                    dir = d;
                    ExitActions.jvm().at(ExitActions.Stage.REMOVE_RUNTIME_DIR, new Remove());
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
            return createPrivate(Path.of(System.getProperty("java.io.tmpdir")),
                    PREFIX + ProcessHandle.current().pid() + "-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the runtime directory for child processes", e);
        }
    }

    /**
     * Creates a new directory {@code <base>/<prefix><random>}, mode 0700 where files have POSIX modes, as
     * {@code Files.createTempDirectory} does, but named from {@link Urandom}: the JDK's names come from
     * {@code SecureRandom}, whose first use costs a new JVM some 25 ms (the JCA providers' set-up), on the
     * way to its first child. The name is never one that exists: creation fails rather than reuse it.
     *
     * @throws IOException if no directory could be created
     */
    public static Path createPrivate(Path base, String prefix) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path p = base.resolve(prefix + Long.toUnsignedString(Urandom.nextLong(), 36));
            try {
                try {
                    return Files.createDirectory(p, PosixFilePermissions.asFileAttribute(PRIVATE));
                } catch (UnsupportedOperationException notPosix) {
                    return Files.createDirectory(p);
                }
            } catch (FileAlreadyExistsException taken) {
                if (attempt >= 16) {
                    throw taken;
                }
            }
        }
    }

    /**
     * The user this JVM runs as, as files show it: the owner of the runtime directory (which this JVM
     * created); null where files have no POSIX owner. Creates the directory if needed.
     */
    public static UserPrincipal user() {
        UserPrincipal u = user;
        if (u == null) {
            try {
                user = u = Files.readAttributes(get(), PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS).owner();
            } catch (IOException | UnsupportedOperationException e) {
                return null;
            }
        }
        return u;
    }

    /**
     * Whether {@code a} describes a directory that is {@code user}'s and no one else's: not a link,
     * owned by {@code user}, mode exactly 0700. Only such directories are swept: a directory another
     * user made, or one others may write to, could have been planted to make us delete what is not ours.
     */
    public static boolean isPrivateDir(PosixFileAttributes a, UserPrincipal user) {
        return a.isDirectory() && !a.isSymbolicLink() && a.owner().equals(user) && a.permissions().equals(PRIVATE);
    }

    /**
     * The pid of the JVM whose runtime directory holds {@code path} (a socket's, say), or 0 if no part of
     * the path is named as a runtime directory is ({@code mp4j-<pid>-…}).
     */
    public static long ownerPid(String path) {
        if (path == null) {
            return 0;
        }
        for (String part : path.split("/")) {
            long pid = pidIn(part, PREFIX);
            if (pid != 0) {
                return pid;
            }
        }
        return 0;
    }

    /**
     * Whether the name of an entry of {@code java.io.tmpdir} is {@code prefix}, a pid that no longer
     * runs, {@code -} and more: the directory of a JVM that ended without removing it.
     */
    public static boolean ofEndedProcess(String name, String prefix) {
        long pid = pidIn(name, prefix);
        return pid > 0 && pid != ProcessHandle.current().pid()
                && !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** The pid in a name made as {@code prefix<pid>-…}, or 0 if the name is not made so. */
    private static long pidIn(String name, String prefix) {
        int dash = name.indexOf('-', prefix.length());
        if (!name.startsWith(prefix) || dash <= prefix.length()) {
            return 0;
        }
        try {
            return Long.parseLong(name.substring(prefix.length(), dash));
        } catch (NumberFormatException notOurs) {
            return 0;
        }
    }

    /**
     * Removes the runtime directories of JVMs that no longer run (killed, so they could not): only
     * those that are this user's private directories (see {@link #isPrivateDir}); anything else that
     * looks like one is left alone, whoever made it.
     */
    private static void sweepStale(Path own) {
        UserPrincipal owner;
        try {
            owner = Files.readAttributes(own, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS).owner();
        } catch (IOException | UnsupportedOperationException e) {
            return; // no owners to check: sweep nothing
        }
        user = owner;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(own.getParent(), PREFIX + "*")) {
            for (Path p : entries) {
                if (!p.getFileName().equals(own.getFileName()) && ofEndedProcess(p.getFileName().toString(), PREFIX)) {
                    deleteTree(p, owner);
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // sweeping is housekeeping only
        }
    }

    /** The exit action that removes the directory. */
    private static final class Remove implements Runnable {
        @Override
        public void run() {
            deleteIfCreated();
        }
    }

    /** Removes the directory and what is left in it. Never throws. */
    public static void deleteIfCreated() {
        Path d = dir;
        if (d != null) {
            try {
                deleteTree(d, Files.readAttributes(d, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS).owner());
            } catch (UnsupportedOperationException notPosix) {
                deleteFlat(d);
            } catch (IOException | RuntimeException goneOrBestEffort) {
                // nothing to remove, or nothing we can
            }
        }
    }

    /**
     * Removes {@code root} if it is a private directory of {@code user} (see {@link #isPrivateDir}),
     * with what it holds: files of any kind, links (removed as links, never followed) and directories
     * of {@code user} holding no directory. What does not fit is left, and so is {@code root} then.
     * Never throws.
     *
     * <p>Where the platform offers a {@link SecureDirectoryStream}, every check and removal is made
     * relative to a directory that is open, so no rename or link swapped in meanwhile can redirect
     * them; elsewhere each entry is checked again, without following links, just before it goes.
     */
    static void deleteTree(Path root, UserPrincipal user) {
        Path name = root.getFileName();
        try (DirectoryStream<Path> parent = Files.newDirectoryStream(root.toAbsolutePath().getParent())) {
            if (parent instanceof SecureDirectoryStream<Path> at) {
                try (SecureDirectoryStream<Path> d = at.newDirectoryStream(name, LinkOption.NOFOLLOW_LINKS)) {
                    if (!isPrivateDir(d.getFileAttributeView(PosixFileAttributeView.class).readAttributes(), user)) {
                        return;
                    }
                    empty(d, user, 1);
                }
                at.deleteDirectory(name);
                return;
            }
        } catch (IOException | RuntimeException goneOrRefused) {
            return;
        }
        try {
            if (isPrivateDir(Files.readAttributes(root, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS), user)
                    && emptyByPath(root, user, 1)) {
                Files.delete(root);
            }
        } catch (IOException | RuntimeException goneOrRefused) {
            // left as it is
        }
    }

    /** Removes the entries of an open directory, and of its directories down {@code depth} levels. */
    private static void empty(SecureDirectoryStream<Path> d, UserPrincipal user, int depth) {
        List<Path> names = new ArrayList<>();
        for (Path entry : d) {
            names.add(entry.getFileName());
        }
        for (Path name : names) {
            try {
                PosixFileAttributes a = d.getFileAttributeView(name, PosixFileAttributeView.class,
                        LinkOption.NOFOLLOW_LINKS).readAttributes();
                if (!a.isDirectory()) {
                    d.deleteFile(name); // a file, socket, pipe or link: unlinked itself
                } else if (depth > 0) {
                    try (SecureDirectoryStream<Path> sub = d.newDirectoryStream(name, LinkOption.NOFOLLOW_LINKS)) {
                        if (!sub.getFileAttributeView(PosixFileAttributeView.class).readAttributes().owner().equals(user)) {
                            continue;
                        }
                        empty(sub, user, depth - 1);
                    }
                    d.deleteDirectory(name);
                }
            } catch (IOException | RuntimeException goneOrRefused) {
                // left; so is the directory then
            }
        }
    }

    /**
     * {@link #empty} without a {@link SecureDirectoryStream}: each removal is preceded by a check,
     * without following links, that {@code dir} is still the private directory it was and the entry
     * still what it was. Returns whether all went.
     */
    private static boolean emptyByPath(Path dir, UserPrincipal user, int depth) throws IOException {
        Object key = Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            ds.forEach(entries::add);
        }
        boolean all = true;
        for (Path entry : entries) {
            try {
                PosixFileAttributes a = Files.readAttributes(entry, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                if (a.isDirectory() && (depth == 0 || !a.owner().equals(user) || !emptyByPath(entry, user, depth - 1))) {
                    all = false;
                    continue;
                }
                PosixFileAttributes now = Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                PosixFileAttributes still = Files.readAttributes(entry, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                if (!now.isDirectory() || now.isSymbolicLink() || !Objects.equals(now.fileKey(), key)
                        || !now.owner().equals(user) || still.isDirectory() != a.isDirectory()
                        || !Objects.equals(still.fileKey(), a.fileKey())) {
                    return false;
                }
                Files.delete(entry);
            } catch (IOException | RuntimeException goneOrRefused) {
                all = false;
            }
        }
        return all;
    }

    /** Where files have no POSIX attributes: removes the files of this JVM's own directory, then it. */
    private static void deleteFlat(Path d) {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(d)) {
            for (Path p : entries) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort
                }
            }
            Files.deleteIfExists(d);
        } catch (IOException | RuntimeException ignored) {
            // best effort
        }
    }
}
