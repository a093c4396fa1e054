package org.multiprocessing4j.drivers;

import java.nio.file.Files;
import java.nio.file.Path;
import org.multiprocessing4j.Process;
import org.multiprocessing4j.Queue;
import org.multiprocessing4j.SharedMemory;
import org.multiprocessing4j.internal.track.ResourceTracker;

/**
 * Leaves shared memory for the resource tracker to find.
 *
 * <p>{@code killed-child exit <name>}: a child creates a tracked segment {@code name} and is killed
 * with SIGKILL; the segment is still there; then main returns. {@code killed-child wait <name>}: the
 * same, then this JVM waits for the test to kill it with SIGKILL. Prints {@code segment=<name>},
 * {@code watcher.pid=}, {@code exists.after.kill=} and {@code ready}.
 *
 * <p>{@code untracked <name> <name2>}: creates a segment {@code name} with {@code track = false} and
 * a tracked one {@code name2}, and returns.
 *
 * <p>The test chooses names outside the {@code mp4j-} prefix: leak checks of other builds on the same
 * machine delete new {@code mp4j-} segments they cannot tell from their own.
 */
public final class TrackerDriver {
    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "killed-child" -> {
                Queue<String> names = new Queue<>();
                Process child = new Process(() -> {
                    SharedMemory shm = SharedMemory.create(args[2], 4096);
                    shm.buffer().putInt(0, 7);
                    names.put(shm.name());
                    DaemonDriver.sleep(60_000);
                });
                child.start();
                String name = names.get();
                System.out.println("segment=" + name);
                System.out.println("watcher.pid=" + ResourceTracker.watcherPid());
                child.kill();
                child.join();
                System.out.println("exit.code=" + child.exitCode());
                System.out.println("exists.after.kill=" + Files.exists(Path.of("/dev/shm", name)));
                names.close();
                if (args[1].equals("wait")) {
                    System.out.println("ready");
                    DaemonDriver.sleep(60_000);
                }
            }
            case "untracked" -> {
                SharedMemory.create(args[1], 16, false);
                SharedMemory.create(args[2], 16);
            }
            default -> throw new IllegalArgumentException(args[0]);
        }
    }
}
