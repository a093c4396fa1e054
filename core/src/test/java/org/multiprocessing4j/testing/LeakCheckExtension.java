package org.multiprocessing4j.testing;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.multiprocessing4j.internal.runtime.ExitActions;
import org.multiprocessing4j.internal.runtime.RuntimeDir;
import org.multiprocessing4j.internal.track.ResourceTracker;

/**
 * Fails a test that leaves anything of ours behind: a live child JVM (any descendant of the test JVM),
 * a new {@code /dev/shm/mp4j-*} segment, a segment still registered with the resource tracker (which
 * catches those with names of the test's choosing), or a file in this JVM's runtime directory (socket
 * files, exit markers). New segments in /dev/shm that another program made (other builds run beside
 * this one) are told apart and ignored, see {@link #mayBeOurs}. The library's services (the spare JVMs of
 * the {@code forkserver} start method, the queue server, the doorbell) are stopped first, by the stage of
 * the JVM's exit that stops them: they belong to the library, which keeps them until the JVM exits; so is
 * the resource tracker's watcher,
 * a shell that lives as long as the test JVM and is not counted. It also fails a test that leaves running
 * the AOT cache training (JDK 25) of a program it ran with {@link JavaDriver}: a training outlives its
 * program by design, but a test that makes one waits for its end. What leaked is cleaned up so that the
 * next test starts clean. Registered for every test class through {@code META-INF/services} (JUnit's
 * extension auto-detection is on in the POM).
 */
public final class LeakCheckExtension implements BeforeEachCallback, AfterEachCallback {
    private static final Path SHM = Path.of("/dev/shm");
    private static final Duration GRACE = Duration.ofSeconds(5);
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(LeakCheckExtension.class);

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NS).put("shm", shmSegments());
        context.getStore(NS).put("tracked", ResourceTracker.registered());
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        List<String> leaks = new ArrayList<>();
        // The library's services (the forkserver's spares, the socket that serves this JVM's queues, the
        // doorbell that wakes its threads waiting on shared locks) are not the test's: they are stopped
        // as this JVM's exit stops them, and the next test starts them again.
        ExitActions.jvm().runStage(ExitActions.Stage.STOP_SERVICES);

        // Children that were terminated may need a moment to be reaped; a real leak outlives the grace.
        long deadline = System.nanoTime() + GRACE.toNanos();
        List<ProcessHandle> alive = descendants();
        while (!alive.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
            alive = descendants();
        }
        if (!alive.isEmpty()) {
            leaks.add("child JVMs still alive: " + alive.stream()
                    .map(p -> p.pid() + " " + p.info().commandLine().orElse("?"))
                    .collect(Collectors.joining("; ")));
            alive.forEach(ProcessHandle::destroyForcibly);
        }
        Set<Long> programs = JavaDriver.takeStarted();
        List<ProcessHandle> trainings = trainingsOf(programs);
        while (!trainings.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
            trainings = trainingsOf(programs);
        }
        if (!trainings.isEmpty()) {
            leaks.add("AOT cache trainings of the test's programs still running: " + trainings.stream()
                    .map(p -> p.pid() + " " + p.info().commandLine().orElse("?"))
                    .collect(Collectors.joining("; ")));
            trainings.forEach(ProcessHandle::destroyForcibly);
        }

        @SuppressWarnings("unchecked")
        Set<String> before = (Set<String>) context.getStore(NS).get("shm", Set.class);
        Set<String> after = shmSegments();
        after.removeAll(before == null ? Set.of() : before);
        Set<String> ours = ResourceTracker.registered();
        after.removeIf(name -> !ours.contains(name) && !mayBeOurs(name));
        if (!after.isEmpty()) {
            leaks.add("shared-memory segments left in /dev/shm: " + after);
            for (String name : after) {
                Files.deleteIfExists(SHM.resolve(name));
                ResourceTracker.unregister(name);
            }
        }
        @SuppressWarnings("unchecked")
        Set<String> trackedBefore = (Set<String>) context.getStore(NS).get("tracked", Set.class);
        Set<String> tracked = new TreeSet<>(ResourceTracker.registered());
        tracked.removeAll(trackedBefore == null ? Set.of() : trackedBefore);
        if (!tracked.isEmpty()) {
            leaks.add("segments still registered with the resource tracker (created, never unlinked): " + tracked);
            for (String name : tracked) {
                if (!after.contains(name)) {
                    Files.deleteIfExists(SHM.resolve(name));
                }
                ResourceTracker.unregister(name);
            }
        }

        Path dir = RuntimeDir.ifCreated();
        if (dir != null && Files.isDirectory(dir)) {
            List<Path> files;
            try (Stream<Path> s = Files.list(dir)) {
                files = s.collect(Collectors.toList());
            }
            if (!files.isEmpty()) {
                leaks.add("files left in the runtime directory " + dir + ": " + files);
                for (Path f : files) {
                    Files.deleteIfExists(f);
                }
            }
        }
        if (!leaks.isEmpty()) {
            throw new AssertionError("test leaked: " + String.join(" | ", leaks));
        }
    }

    private static List<ProcessHandle> descendants() {
        long watcher = ResourceTracker.watcherPid(); // the library's, alive as long as this JVM
        try (Stream<ProcessHandle> s = ProcessHandle.current().descendants()) {
            return s.filter(p -> p.pid() != watcher).filter(ProcessHandle::isAlive).collect(Collectors.toList());
        }
    }

    /**
     * The live processes of the AOT cache trainings the given programs started: the shell and its JVMs
     * carry the training child's command, which ends with {@code --train} and names its parent.
     */
    private static List<ProcessHandle> trainingsOf(Set<Long> programs) {
        if (programs.isEmpty()) {
            return List.of();
        }
        Set<String> markers = programs.stream().map(pid -> "-Dmultiprocessing4j.parent=" + pid)
                .collect(Collectors.toSet());
        try (Stream<ProcessHandle> s = ProcessHandle.allProcesses()) {
            return s.filter(p -> {
                String[] args = p.info().arguments().orElse(new String[0]);
                return args.length > 0 && args[args.length - 1].equals("--train")
                        && Arrays.stream(args).anyMatch(markers::contains);
            }).filter(ProcessHandle::isAlive).collect(Collectors.toList());
        }
    }

    /**
     * False for a segment that another program made: other builds on the machine share /dev/shm. It
     * is listed in the registry of another live process tree, or mapped by a process outside this
     * one. Called only for new segments this tree has not registered (untracked ones, or a bug).
     */
    private static boolean mayBeOurs(String name) {
        Path own = ResourceTracker.registryIfKnown();
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        try (DirectoryStream<Path> registries = Files.newDirectoryStream(tmp, ResourceTracker.REGISTRY_PREFIX + "*")) {
            for (Path r : registries) {
                boolean mine = own != null && (r.equals(own) || r.equals(own.getParent()));
                if (!mine && (Files.exists(r.resolve(name)) || Files.exists(r.resolve("live").resolve(name)))) {
                    return false;
                }
            }
        } catch (IOException | RuntimeException unreadable) {
            // look at the mappings
        }
        Set<Long> tree;
        try (Stream<ProcessHandle> s = ProcessHandle.current().descendants()) {
            tree = s.map(ProcessHandle::pid).collect(Collectors.toCollection(HashSet::new));
        }
        tree.add(ProcessHandle.current().pid());
        String mapped = SHM.resolve(name).toString();
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path proc : procs) {
                try {
                    if (!tree.contains(Long.parseLong(proc.getFileName().toString()))
                            && Files.readString(proc.resolve("maps")).contains(mapped)) {
                        return false;
                    }
                } catch (IOException | RuntimeException goneOrNotOurs) {
                    // ended, or another user's
                }
            }
        } catch (IOException | RuntimeException noProc) {
            // not Linux: count it
        }
        return true;
    }

    private static Set<String> shmSegments() {
        if (!Files.isDirectory(SHM)) {
            return new HashSet<>();
        }
        try (Stream<Path> s = Files.list(SHM)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("mp4j-"))
                    .collect(Collectors.toCollection(HashSet::new));
        } catch (IOException e) {
            return new HashSet<>();
        }
    }
}
