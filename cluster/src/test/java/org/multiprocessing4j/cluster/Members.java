package org.multiprocessing4j.cluster;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.multiprocessing4j.Process;

/**
 * Members of a test's own cluster on loopback, each a child JVM of the test (as a user starts them from
 * Java), under a cluster name no other test uses. {@link #close()} kills those still alive.
 */
final class Members implements AutoCloseable {
    static final byte[] KEY = "the cluster's key\n".getBytes(StandardCharsets.UTF_8);

    final String name = "mp4j-test-" + UUID.randomUUID();
    final Path keyFile;
    final List<Process> processes = new ArrayList<>();
    final List<String> addresses = new ArrayList<>();

    Members(Path dir) throws IOException {
        this.keyFile = Files.write(dir.resolve("authkey-" + name), KEY);
    }

    /** Starts {@code n} members with {@code workers} worker slots each, joined to each other. */
    static Members start(Path dir, int n, int workers) throws IOException {
        Members m = new Members(dir);
        for (int i = 0; i < n; i++) {
            m.add(workers, m.keyFile);
        }
        return m;
    }

    /** Starts one more member with the key in {@code keyFile}, joining those started before. */
    Process add(int workers, Path keyFile) throws IOException {
        String address = "127.0.0.1:" + freePort();
        List<String> args = new ArrayList<>(List.of("--cluster", name, "--bind", address, "--workers",
                Integer.toString(workers), "--authkey-file", keyFile.toString()));
        if (!addresses.isEmpty()) {
            args.add("--join");
            args.add(String.join(",", addresses));
        }
        String[] argv = args.toArray(String[]::new);
        Process p = new Process(() -> Member.main(argv), "member-" + addresses.size());
        p.start();
        processes.add(p);
        addresses.add(address);
        return p;
    }

    /** A driver connected through every member's address, once {@code n} members take its work. */
    Cluster connect(int n) {
        Cluster c = Cluster.connect(name, String.join(",", addresses), KEY);
        if (!c.awaitMembers(n, Duration.ofSeconds(60))) {
            c.close();
            throw new AssertionError("only " + c.members() + " of " + addresses + " joined in 60 s");
        }
        return c;
    }

    /**
     * A member of this cluster started as a user starts one, {@code java ... Member}, not as a child
     * process of ours (no lifeline: the test kills it), with one worker, its stdout discarded.
     *
     * @param extraClassPath appended to this JVM's class path, or null
     * @param jvmOptions before the class path, after those of {@code -Dmultiprocessing4j.jvmOptions} (as
     *     the build gives this JVM's children)
     */
    java.lang.Process standalone(String address, String extraClassPath, List<String> jvmOptions) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        String common = System.getProperty("multiprocessing4j.jvmOptions", "").strip();
        if (!common.isEmpty()) {
            cmd.addAll(List.of(common.split("\\s+")));
        }
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path")
                        + (extraClassPath == null ? "" : java.io.File.pathSeparator + extraClassPath),
                Member.class.getName(), "--cluster", name, "--bind", address, "--workers", "1",
                "--authkey-file", keyFile.toString()));
        return new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    /**
     * A port free now, below the range the kernel hands out for outgoing connections and port 0 (32768 and
     * up on Linux): a port of that range, free when asked, may be some connection's by the time the member
     * binds it.
     */
    static int freePort() throws IOException {
        java.util.Random random = new java.util.Random();
        for (int attempt = 0; ; attempt++) {
            int port = 20_000 + random.nextInt(12_000);
            try (ServerSocket s = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
                return s.getLocalPort();
            } catch (IOException taken) {
                if (attempt == 100) {
                    throw taken;
                }
            }
        }
    }

    /** The pids of the JVMs a member started (its workers). */
    static List<Long> workersOf(Process member) {
        return ProcessHandle.of(member.pid()).map(h -> h.descendants().map(ProcessHandle::pid).toList())
                .orElse(List.of());
    }

    @Override
    public void close() {
        for (Process p : processes) {
            if (p.isAlive()) {
                p.kill();
            }
            p.join(Duration.ofSeconds(30));
        }
    }
}
