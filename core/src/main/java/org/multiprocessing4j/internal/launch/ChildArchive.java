package org.multiprocessing4j.internal.launch;

import java.io.File;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.multiprocessing4j.internal.runtime.RuntimeDir;

/**
 * A class-data-sharing archive for child JVMs: the classes a child loads to read and run its task
 * (our bootstrap, {@code ObjectInputStream}, lambda deserialization, the user's classes), mapped
 * ready-parsed instead of loaded from jars, which cuts a child's start-up. Children use it only when
 * they run this JVM's own {@code java} (not one named by {@code multiprocessing4j.java}, whose version
 * is unknown), and then one of two kinds, by this JVM's version:
 *
 * <ul>
 *   <li>Up to JDK 24, a dynamic archive. The first child of a given JVM, class path and flags trains
 *       it: it runs with {@code -XX:ArchiveClassesAtExit} and writes it when it exits of its own
 *       accord, which makes that one child's exit slower. The parent moves the finished file into the
 *       cache atomically; later children, in this JVM and in any later one with the same key, use it
 *       with {@code -XX:SharedArchiveFile}. A child that is killed leaves no archive and a later one
 *       trains again.</li>
 *   <li>From JDK 25, the AOT cache (JEP 483: classes loaded and linked ahead; JEP 515: method
 *       profiles). No user's child trains it: the JDK prints on stdout at the end of a training
 *       whatever the logging flags say, and building the cache takes a second or two. A training run
 *       of its own does what a child does, in the background (see {@link AotTraining}); the child that
 *       found no cache, and those after it until the training is done, start without one. Later
 *       children use it with {@code -XX:AOTCache}. Each step of a training is bounded; one that failed
 *       leaves a marker, {@code <cache>.failed}, and that key is not trained again for a day.</li>
 * </ul>
 *
 * <p>One training at a time per JVM, at most three. The key (this file's name) covers the JVM, its
 * version, the flags a child gets (ours, {@code multiprocessing4j.jvmOptions}, and the
 * {@code JAVA_TOOL_OPTIONS}, {@code JDK_JAVA_OPTIONS} and {@code _JAVA_OPTIONS} it inherits), the kind,
 * the JDK's linked modules (which hold the application's in a jlink image) and every jar of the class and
 * module paths, each with its size and modification time. HotSpot refuses
 * an archive it cannot use (another JVM build, other compressed-pointer settings, a torn file), but
 * JDK 25 does not check an AOT cache's jars: it runs the classes of a jar rebuilt since from the cache.
 * With the key, a changed jar or flag gives another file and a new training.
 *
 * <p>Only class paths made of jar files qualify: HotSpot archives classes from jars only and refuses
 * to dump with a non-empty directory on the path. A dynamic archive also needs the JDK's base archive
 * mapped: a JVM without one (a jlink image made without {@code --generate-cds-archive},
 * {@code -Xshare:off}) gets none, since asked to dump one it would not start. CDS and AOT logging is switched off in children so
 * that an archive HotSpot cannot use is ignored silently instead of printing on the user's stdout.
 *
 * <p>The cache is private: its directory must be this user's and writable by no one else (it is
 * created 0700, and made 0700 if others may read it), else it is not used; archives are 0600, and one
 * is used only if it is a regular file of this user that no one else may write (a planted archive
 * would run its classes in our children). A training's temporary file that a killed JVM left there
 * is removed when the cache is next used.
 *
 * <p>System properties: {@code multiprocessing4j.cds=false} switches this off;
 * {@code multiprocessing4j.cacheDir} moves the cache (default {@code $XDG_CACHE_HOME/multiprocessing4j}
 * or {@code ~/.cache/multiprocessing4j}).
 */
final class ChildArchive {
    /** How a child was launched with respect to the archive; the parent calls {@link #childEnded} when it ends. */
    record Use(List<String> flags, Path trainingOutput) {
        static final Use NONE = new Use(List.of(), null);

        /** Called once, when the child has ended; {@code voluntary} if it exited of its own accord. */
        void childEnded(boolean voluntary) {
            if (trainingOutput != null) {
                finishTraining(trainingOutput, voluntary);
            }
        }
    }

    private static final int KEEP_ARCHIVES = 64;
    private static final int MAX_TRAININGS = 3;
    /**
     * Whether children use the AOT cache instead of a dynamic archive: from JDK 25, the first with
     * {@code -XX:AOTCacheOutput}'s steps and method profiles (children run this JVM's own {@code java}).
     */
    private static final boolean AOT_CACHE = Runtime.version().feature() >= 25;
    private static final String QUIET = "-Xlog:cds*=off";
    private static final String QUIET_AOT = "-Xlog:aot*=off,cds*=off";
    private static final Pattern TEMPORARY = Pattern.compile("child-[0-9a-f]+\\.(?:jsa|aot)\\.([0-9]+)(?:\\.conf)?\\.tmp");
    private static final Pattern ARCHIVE = Pattern.compile("child-[0-9a-f]+\\.(?:jsa|aot)");
    /** How long the marker of a failed AOT training keeps its key from being trained again. */
    static final long FAILED_MILLIS = TimeUnit.DAYS.toMillis(1);
    private static final String FAILED = ".failed";
    /** A temporary file this old is stale even if a process has its writer's pid: a dump takes seconds. */
    private static final long STALE_MILLIS = TimeUnit.MINUTES.toMillis(10);
    private static final Set<PosixFilePermission> GROUP_OR_OTHERS_WRITE =
            Set.of(PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE);

    private static final AtomicBoolean TRAINING = new AtomicBoolean();
    private static volatile int trainingsLeft = MAX_TRAININGS;
    private static volatile Path archive; // null: not eligible; computed once
    private static volatile boolean computed;

    private ChildArchive() {
    }

    /** The archive flags for the next child to launch. */
    static Use forNextChild() {
        Path a = archive();
        if (a == null) {
            return Use.NONE;
        }
        switch (check(a)) {
            case USABLE -> {
                return AOT_CACHE ? new Use(List.of("-XX:AOTCache=" + a, QUIET_AOT), null)
                        : new Use(List.of("-XX:SharedArchiveFile=" + a, QUIET), null);
            }
            case REFUSED -> {
                return Use.NONE;
            }
            case ABSENT -> {
                // train one below
            }
        }
        if (trainingsLeft > 0 && TRAINING.compareAndSet(false, true)) {
            if (AOT_CACHE && recentlyFailed(a)) {
                trainingsLeft = 0; // nor for the next children of this JVM
                TRAINING.set(false);
                return Use.NONE;
            }
            trainingsLeft--;
            if (AOT_CACHE) {
                if (!AotTraining.start(a, ChildArchive::trainingEnded)) {
                    trainingEnded();
                }
                return Use.NONE; // this child starts without; those after the training use the cache
            }
            Path out = a.resolveSibling(a.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
            return new Use(List.of("-XX:ArchiveClassesAtExit=" + out, QUIET), out);
        }
        return Use.NONE;
    }

    private enum Found { USABLE, ABSENT, REFUSED }

    /** Whether the archive is there, a regular file of this user that no one else may write. */
    private static Found check(Path a) {
        try {
            PosixFileAttributes attrs = Files.readAttributes(a, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return attrs.isRegularFile() && attrs.owner().equals(RuntimeDir.user())
                    && Collections.disjoint(attrs.permissions(), GROUP_OR_OTHERS_WRITE) ? Found.USABLE : Found.REFUSED;
        } catch (java.nio.file.NoSuchFileException absent) {
            return Found.ABSENT;
        } catch (IOException | RuntimeException e) {
            return Found.REFUSED;
        }
    }

    /** Whether a training of this cache failed less than {@link #FAILED_MILLIS} ago (see {@link AotTraining}). */
    private static boolean recentlyFailed(Path a) {
        try {
            return stillCounts(a.resolveSibling(a.getFileName() + FAILED), System.currentTimeMillis());
        } catch (IOException | RuntimeException absent) {
            return false;
        }
    }

    /** Whether the marker of a failed training, last written at {@code now} or before, still keeps its key untrained. */
    private static boolean stillCounts(Path failedMarker, long now) throws IOException {
        return now - Files.getLastModifiedTime(failedMarker, LinkOption.NOFOLLOW_LINKS).toMillis() < FAILED_MILLIS;
    }

    private static void trainingEnded() {
        try {
            Path a = archive;
            if (a != null && Files.exists(a, LinkOption.NOFOLLOW_LINKS)) {
                prune(a.getParent());
            }
        } catch (IOException | RuntimeException ignored) {
            // housekeeping only
        } finally {
            TRAINING.set(false);
        }
    }

    private static void finishTraining(Path out, boolean voluntary) {
        try {
            Path a = archive;
            if (voluntary && a != null && Files.size(out) > 0) {
                Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rw-------"));
                Files.move(out, a, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                prune(a.getParent());
            }
        } catch (IOException | RuntimeException ignored) {
            // no archive this time; a later child trains again
        } finally {
            try {
                Files.deleteIfExists(out);
            } catch (IOException ignored) {
                // nothing left to do
            }
            TRAINING.set(false);
        }
    }

    /** Computes, once, which archive this JVM's children use (see {@link LaunchAhead}). */
    static void prepare() {
        archive();
    }

    private static Path archive() {
        if (!computed) {
            synchronized (ChildArchive.class) {
                if (!computed) {
                    archive = locate();
                    computed = true;
                }
            }
        }
        return archive;
    }

    /** The archive's path for this JVM, class path and flags, or null if archives cannot be used. */
    private static Path locate() {
        if ("false".equalsIgnoreCase(System.getProperty("multiprocessing4j.cds")) || !JavaCommand.runsOwnJava()) {
            return null;
        }
        if (!AOT_CACHE && !System.getProperty("java.vm.info", "").contains("sharing")) {
            // no base archive mapped (a jlink image made without one, -Xshare:off): a dynamic archive
            // extends the base one, and a JVM asked to dump one without it does not start
            return null;
        }
        StringBuilder key = new StringBuilder();
        key.append(AOT_CACHE ? "aot" : "cds").append('\n')
                .append(System.getProperty("java.home")).append('\n')
                .append(System.getProperty("java.vm.version")).append('\n')
                .append(JavaCommand.LEAN_FLAGS).append('\n')
                .append(JavaCommand.HEAP_FLAGS).append('\n')
                .append(System.getProperty("multiprocessing4j.jvmOptions", "")).append('\n');
        for (String variable : JavaCommand.OPTION_VARIABLES) {
            // a child inherits them, and they set flags an archive must match
            key.append(variable).append('=').append(System.getenv().getOrDefault(variable, "")).append('\n');
        }
        // the modules linked into the JDK itself: an application's, in a jlink image, change with it
        Path modules = Path.of(System.getProperty("java.home"), "lib", "modules");
        try {
            key.append(Files.size(modules)).append(' ').append(Files.getLastModifiedTime(modules).toMillis()).append('\n');
        } catch (IOException | RuntimeException e) {
            return null;
        }
        for (String property : new String[] {"java.class.path", "jdk.module.path"}) {
            String path = System.getProperty(property, "");
            if (path.isEmpty()) {
                continue;
            }
            for (String entry : path.split(File.pathSeparator)) {
                if (!addJar(key, Path.of(entry), 0)) {
                    return null;
                }
            }
        }
        Path dir = cacheDir();
        if (dir == null) {
            return null;
        }
        return dir.resolve("child-" + hash(key.toString()) + (AOT_CACHE ? ".aot" : ".jsa"));
    }

    /**
     * Adds a jar, and the jars its manifest's {@code Class-Path} names, to the key: HotSpot checks every
     * one of them against the archive and silently ignores an archive that no longer matches.
     *
     * @return false if the entry cannot be archived (a directory, a missing file)
     */
    private static boolean addJar(StringBuilder key, Path jar, int depth) {
        if (!jar.getFileName().toString().endsWith(".jar") || !Files.isRegularFile(jar) || depth > 8) {
            return false;
        }
        try {
            key.append(jar.toAbsolutePath()).append(' ').append(Files.size(jar)).append(' ')
                    .append(Files.getLastModifiedTime(jar).toMillis()).append('\n');
            String classPath;
            try (JarFile file = new JarFile(jar.toFile(), false)) {
                Manifest manifest = file.getManifest();
                classPath = manifest == null ? null : manifest.getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
            }
            if (classPath != null) {
                for (String ref : classPath.trim().split("\\s+")) {
                    if (ref.isEmpty()) {
                        continue;
                    }
                    Path resolved = ref.startsWith("file:") ? Path.of(URI.create(ref))
                            : jar.toAbsolutePath().getParent().resolve(ref);
                    if (!addJar(key, resolved, depth + 1)) {
                        return false;
                    }
                }
            }
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static Path cacheDir() {
        String configured = System.getProperty("multiprocessing4j.cacheDir");
        Path dir;
        if (configured != null) {
            dir = Path.of(configured);
        } else {
            String xdg = System.getenv("XDG_CACHE_HOME");
            dir = (xdg != null && !xdg.isEmpty() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache"))
                    .resolve("multiprocessing4j");
        }
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir,
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            PosixFileAttributes a = Files.readAttributes(dir, PosixFileAttributes.class);
            UserPrincipal user = RuntimeDir.user();
            if (!a.isDirectory() || user == null || !a.owner().equals(user)
                    || !Collections.disjoint(a.permissions(), GROUP_OR_OTHERS_WRITE)) {
                return null; // another user's, or others could have put files there: not ours to trust
            }
            if (!a.permissions().equals(PosixFilePermissions.fromString("rwx------"))) {
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            }
            removeStaleTemporaries(dir);
            return Files.isWritable(dir) ? dir : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Removes the temporary files of trainings whose JVM (the pid in the name) no longer runs, or
     * that are older than {@link #STALE_MILLIS}: a JVM killed while its child dumped left them. Also
     * removes the markers of failed trainings once they no longer count.
     */
    private static void removeStaleTemporaries(Path dir) {
        long now = System.currentTimeMillis();
        long self = ProcessHandle.current().pid();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "child-*.{tmp,failed}")) {
            for (Path p : entries) {
                if (p.getFileName().toString().endsWith(FAILED)) {
                    try {
                        if (!stillCounts(p, now)) {
                            Files.deleteIfExists(p);
                        }
                    } catch (IOException | RuntimeException goneOrOdd) {
                        // left
                    }
                    continue;
                }
                Matcher m = TEMPORARY.matcher(p.getFileName().toString());
                if (!m.matches()) {
                    continue;
                }
                try {
                    long pid = Long.parseLong(m.group(1));
                    BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                    boolean ended = pid != self && !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
                    if (ended || now - a.lastModifiedTime().toMillis() > STALE_MILLIS) {
                        Files.deleteIfExists(p); // a link goes as a link
                    }
                } catch (IOException | RuntimeException goneOrOdd) {
                    // left
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // housekeeping only
        }
    }

    /** Keeps the most recent archives only; class paths change with every build. */
    private static void prune(Path dir) throws IOException {
        List<Path> archives = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(p -> ARCHIVE.matcher(p.getFileName().toString()).matches()).forEach(archives::add);
        }
        if (archives.size() <= KEEP_ARCHIVES) {
            return;
        }
        archives.sort(Comparator.comparing(ChildArchive::modified).reversed());
        for (Path old : archives.subList(KEEP_ARCHIVES, archives.size())) {
            Files.deleteIfExists(old);
        }
    }

    private static long modified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * 128 bits of FNV-1a over the key, in hex: a cache file name, not a security boundary (the
     * directory is the user's own), and cheaper on a JVM's first call than a {@code MessageDigest},
     * which loads the security providers.
     */
    static String hash(String s) {
        long h1 = 0xcbf29ce484222325L;
        long h2 = 0x84222325cbf29ce4L;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            h1 = (h1 ^ c) * 0x100000001b3L;
            h2 = (h2 ^ c) * 0x100000001b3L + i;
        }
        return String.format("%016x%016x", h1, h2);
    }
}
