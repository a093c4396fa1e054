package org.multiprocessing4j.examples;

import java.io.IOException;
import java.io.Serializable;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.multiprocessing4j.AsyncResult;
import org.multiprocessing4j.Pool;
import org.multiprocessing4j.Process;
import org.multiprocessing4j.cluster.Cluster;
import org.multiprocessing4j.cluster.Member;

/**
 * Beyond the seeds: the same {@code Pool} on a cluster. Two members start on loopback (each a JVM of its
 * own, with one worker JVM), a map is spread over both, each result naming the member and the worker that
 * computed it; then one member is killed in the middle of a second map, which still returns every result,
 * once. On real machines, each member is started with {@code java ... org.multiprocessing4j.cluster.Member}
 * instead (see the README).
 */
public final class ClusterMap {
    private ClusterMap() {
    }

    /** A result, and who computed it: the worker's pid and its parent's, the member's JVM. */
    record Computed(int x, int square, long worker, long member) implements Serializable {
    }

    static Computed square(int x) {
        ProcessHandle me = ProcessHandle.current();
        return new Computed(x, x * x, me.pid(), me.parent().map(ProcessHandle::pid).orElse(-1L));
    }

    /** The same, as a task that takes a while. */
    static Computed slowSquare(int x) throws InterruptedException {
        Thread.sleep(100);
        return square(x);
    }

    public static void main(String[] args) throws Exception {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        Path keyFile = Files.createTempFile("cluster-key", "", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rw-------")));
        Files.write(keyFile, key);
        String name = "tour-" + ProcessHandle.current().pid();
        String first = "127.0.0.1:" + freePort();
        String second = "127.0.0.1:" + freePort();
        Process one = member(name, first, null, keyFile);
        Process two = member(name, second, first, keyFile);
        Map<Long, String> members = Map.of(one.pid(), first, two.pid(), second);
        try (Cluster cluster = Cluster.connect(name, first + "," + second, key)) {
            if (!cluster.awaitMembers(2, Duration.ofSeconds(60))) {
                throw new IllegalStateException("the members did not come up: " + cluster.members());
            }
            System.out.println("members " + cluster.members() + ", " + cluster.workers() + " worker slots");
            Pool pool = cluster.pool();
            for (Computed c : pool.map(ClusterMap::square, IntStream.range(0, 8).boxed().toList(), 1)) {
                System.out.println(c.x() + " squared is " + c.square() + ", by worker " + c.worker()
                        + " of member " + members.get(c.member()));
            }

            AtomicBoolean killed = new AtomicBoolean();
            AsyncResult<List<Computed>> longer = pool.mapAsync(ClusterMap::slowSquare,
                    IntStream.range(0, 40).boxed().toList(), 1, (done, total, failed) -> {
                        if (done >= 10 && killed.compareAndSet(false, true)) {
                            System.out.println("killing member " + second + " after " + done + " of " + total + " results");
                            two.kill();
                        }
                    });
            List<Computed> results = longer.get();
            boolean complete = results.stream().map(Computed::x).toList().equals(IntStream.range(0, 40).boxed().toList())
                    && results.stream().allMatch(c -> c.square() == c.x() * c.x());
            Map<String, Long> byMember = results.stream().collect(Collectors.groupingBy(
                    c -> members.get(c.member()), TreeMap::new, Collectors.counting()));
            System.out.println("all 40 results, each once and in order: " + complete + "; computed by " + byMember);
            pool.close();
        } finally {
            one.kill();
            two.kill();
            one.join();
            two.join();
            Files.deleteIfExists(keyFile);
        }
    }

    /** A member on this machine, a child JVM of this one (it dies with it). */
    private static Process member(String cluster, String bind, String join, Path keyFile) {
        String[] argv = join == null
                ? new String[] {"--cluster", cluster, "--bind", bind, "--workers", "1", "--authkey-file", keyFile.toString()}
                : new String[] {"--cluster", cluster, "--bind", bind, "--join", join, "--workers", "1",
                        "--authkey-file", keyFile.toString()};
        Process p = new Process(() -> Member.main(argv), "member " + bind);
        p.start();
        return p;
    }

    /**
     * A port free now, below the range the kernel hands out for outgoing connections and port 0 (32768 and
     * up on Linux): a port of that range, free when asked, may be some connection's by the time the member
     * binds it.
     */
    private static int freePort() throws IOException {
        java.util.Random random = new java.util.Random();
        for (int attempt = 0; ; attempt++) {
            int port = 20_000 + random.nextInt(12_000);
            try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                return s.getLocalPort();
            } catch (IOException taken) {
                if (attempt == 100) {
                    throw taken;
                }
            }
        }
    }
}
