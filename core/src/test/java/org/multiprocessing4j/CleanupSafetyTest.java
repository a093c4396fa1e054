package org.multiprocessing4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.multiprocessing4j.drivers.SweepDriver;
import org.multiprocessing4j.internal.runtime.RuntimeDir;
import org.multiprocessing4j.internal.track.ResourceTracker;
import org.multiprocessing4j.testing.Procs;
import org.multiprocessing4j.testing.JavaDriver;

/**
 * What the library removes, and the modes of what it makes, cannot be turned against its user by
 * someone else on the machine: the sweeps of what ended JVMs left in {@code java.io.tmpdir} touch only
 * this user's private directories and follow no link, and socket files are {@code 0600}. A new JVM
 * does the sweeping, with a {@code java.io.tmpdir} of the test's own (no other program on the machine
 * sweeps it meanwhile). The tests run as root here, which makes the attacks worse: root may write
 * anywhere, and it gives "another user's" files with {@code chown}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CleanupSafetyTest {
    private static final Path SHM = Path.of("/dev/shm");
    private static final UserPrincipal NOBODY = nobody();

    @TempDir
    Path tmp;

    @Test
    void theRuntimeDirectorySweepRemovesOnlyPrivateTreesOfOursAndFollowsNoLink() throws Exception {
        assumeRoot();
        Path base = Files.createDirectory(tmp.resolve("tmpdir"));
        Path victimDir = Files.createDirectory(tmp.resolve("victim"));
        Path precious = Files.writeString(victimDir.resolve("precious"), "keep");
        Path preciousFile = Files.writeString(tmp.resolve("precious-file"), "keep");
        long dead = Procs.deadPid();

        // a stale runtime directory of ours, as a JVM killed with SIGKILL leaves it, with links planted in it
        Path ours = privateDir(base.resolve("mp4j-" + dead + "-x"));
        Files.writeString(ours.resolve("exit-1"), "0");
        socketFile(ours.resolve("listener-1.sock"));
        Path sub = privateDir(ours.resolve("sub"));
        Files.writeString(sub.resolve("f"), "x");
        Files.createSymbolicLink(sub.resolve("to-file"), preciousFile);
        Files.createSymbolicLink(ours.resolve("to-dir"), victimDir);
        Files.createSymbolicLink(ours.resolve("to-file"), preciousFile);
        // look-alikes that are not ours to remove
        Path open = Files.createDirectory(base.resolve("mp4j-" + dead + "-open"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path openFile = Files.writeString(open.resolve("f"), "x");
        Path foreign = privateDir(base.resolve("mp4j-" + dead + "-foreign"));
        Path foreignFile = Files.writeString(foreign.resolve("f"), "x");
        Files.setOwner(foreignFile, NOBODY);
        Files.setOwner(foreign, NOBODY);
        Path linked = Files.createSymbolicLink(base.resolve("mp4j-" + dead + "-link"), victimDir);

        JavaDriver.Result r = sweepIn(base);

        assertThat(ours).as("a stale private directory of ours is removed").doesNotExist();
        assertThat(precious).as("no link in it was followed").exists().hasContent("keep");
        assertThat(preciousFile).as("no link in it was followed").exists().hasContent("keep");
        assertThat(openFile).as("a directory others may read (0755) is left alone").exists();
        assertThat(foreignFile).as("another user's directory is left alone").exists();
        assertThat(linked).as("a link is left alone").isSymbolicLink();
        assertThat(entries(base)).as("the driver's own directories went at its exit\n" + r)
                .containsExactlyInAnyOrder(open, foreign, linked);
    }

    @Test
    void theTrackerSweepUnlinksOnlyRegularFilesOfOursListedInPrivateRegistriesOfOurs() throws Exception {
        assumeRoot();
        Path base = Files.createDirectory(tmp.resolve("tmpdir"));
        long dead = Procs.deadPid();
        String genuine = testName("genuine");
        String foreignSegment = testName("foreign");
        String link = testName("link");
        String victim = testName("victim");
        Path target = Files.writeString(tmp.resolve("target"), "keep");
        try {
            Files.createFile(SHM.resolve(genuine));
            Files.setOwner(Files.createFile(SHM.resolve(foreignSegment)), NOBODY);
            Files.createSymbolicLink(SHM.resolve(link), target);
            Files.createFile(SHM.resolve(victim));
            // a registry of ours, left by a tree whose watcher was killed too; it also lists what is not ours
            Path ours = privateDir(base.resolve(ResourceTracker.REGISTRY_PREFIX + dead + "-ours"));
            Path live = privateDir(ours.resolve("live"));
            for (String name : List.of(genuine, foreignSegment, link)) {
                Files.createFile(live.resolve(name));
            }
            // a registry planted by another user, naming a segment of ours (also as a registry used to be laid out)
            Path planted = privateDir(base.resolve(ResourceTracker.REGISTRY_PREFIX + dead + "-planted"));
            Path plantedLive = privateDir(planted.resolve("live"));
            for (Path name : List.of(planted.resolve(victim), plantedLive.resolve(victim))) {
                Files.setOwner(Files.createFile(name), NOBODY);
            }
            Files.setOwner(plantedLive, NOBODY);
            Files.setOwner(planted, NOBODY);
            // the same, laid out as registries used to be, in a directory of ours that others may write to
            Path open = Files.createDirectory(base.resolve(ResourceTracker.REGISTRY_PREFIX + dead + "-open"));
            Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
            Files.createFile(open.resolve(foreignSegment));
            Files.createFile(open.resolve(link));
            Files.createDirectory(open.resolve("live"));
            Files.createFile(open.resolve("live").resolve(victim));

            JavaDriver.Result r = sweepIn(base);

            assertThat(SHM.resolve(foreignSegment)).as("another user's segment is left").exists();
            assertThat(SHM.resolve(link)).as("a link is left").isSymbolicLink();
            assertThat(target).as("and not followed").hasContent("keep");
            assertThat(SHM.resolve(victim)).as("a registry of another user, or open to others, unlinks nothing")
                    .exists();
            assertThat(planted.resolve(victim)).exists();
            assertThat(open.resolve("live").resolve(victim)).exists();
            assertThat(SHM.resolve(genuine)).as("a segment of ours that our registry lists is unlinked\n" + r)
                    .doesNotExist();
            assertThat(r.stderr()).contains(genuine).doesNotContain(foreignSegment, link, victim);
            assertThat(ours).as("and the registry is removed").doesNotExist();
        } finally {
            for (String name : List.of(genuine, foreignSegment, link, victim)) {
                Files.deleteIfExists(SHM.resolve(name));
            }
        }
    }

    @Test
    void socketFilesAreTheUsersAlone() throws Exception {
        Path userPath = tmp.resolve("user.sock");
        try (Listener inRuntimeDir = new Listener();
                Listener atUserPath = new Listener("unix:" + userPath, null)) {
            Path own = Path.of(inRuntimeDir.address().substring("unix:".length()));
            assertThat(own.getParent()).isEqualTo(RuntimeDir.get());
            assertThat(mode(own)).as("the library's own socket, in the runtime directory").isEqualTo("rw-------");
            assertThat(atUserPath.address()).endsWith("user.sock");
            assertThat(mode(userPath)).as("a socket at a path the user chose").isEqualTo("rw-------");
            List<Path> sockets = new ArrayList<>();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(RuntimeDir.get())) {
                for (Path p : ds) {
                    if (Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isOther()) {
                        sockets.add(p);
                    }
                }
            }
            assertThat(sockets).contains(own).allSatisfy(p -> assertThat(mode(p)).as(p.toString()).isEqualTo("rw-------"));
        }
        assertThat(userPath).as("removed at close").doesNotExist();
    }

    /** Files of another user are made with {@code chown}, which only root may do. */
    private void assumeRoot() throws IOException {
        assumeTrue(Files.getOwner(tmp).getName().equals("root"), "needs root, to make files of another user");
    }

    /** Runs {@link SweepDriver} with {@code base} as its {@code java.io.tmpdir}. */
    private static JavaDriver.Result sweepIn(Path base) throws Exception {
        JavaDriver.Result r = JavaDriver.start(List.of(JavaDriver.java(), "-Djava.io.tmpdir=" + base,
                "-cp", JavaDriver.testClassPath(), SweepDriver.class.getName())).await(Duration.ofSeconds(60));
        assertThat(r.status()).as(r.toString()).isZero();
        assertThat(r.lines()).as(r.toString()).contains("swept");
        return r;
    }

    private static Path privateDir(Path p) throws IOException {
        Files.createDirectory(p, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
        return p;
    }

    /** Leaves a socket file at {@code p}, as a killed JVM leaves its listeners'. */
    private static void socketFile(Path p) throws IOException {
        try (ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            s.bind(UnixDomainSocketAddress.of(p));
        }
    }

    private static String mode(Path p) {
        try {
            return PosixFilePermissions.toString(Files.readAttributes(p, PosixFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS).permissions());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static List<Path> entries(Path dir) throws IOException {
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            ds.forEach(found::add);
        }
        return found;
    }

    /** A name outside the {@code mp4j-} prefix, which leak checks of other builds would take for theirs. */
    private static String testName(String what) {
        return "mp4jtest-" + what + "-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    }

    private static UserPrincipal nobody() {
        try {
            return Path.of("/").getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("65534");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
