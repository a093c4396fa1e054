package org.multiprocessing4j.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.multiprocessing4j.AuthenticationError;
import org.multiprocessing4j.Pool;
import org.multiprocessing4j.ProcessError;
import org.multiprocessing4j.internal.codec.Serialization;
import org.multiprocessing4j.internal.pool.PoolAccess;
import org.multiprocessing4j.cluster.internal.ClusterEngine;
import org.multiprocessing4j.cluster.internal.Driver;

/**
 * A driver's connection to a cluster of {@link Member}s, and the pools that run on their worker JVMs.
 *
 * <pre>{@code
 * try (Cluster cluster = Cluster.connect("NAME", "127.0.0.1:5701", authkey)) {
 *     cluster.awaitMembers(2, Duration.ofSeconds(30));
 *     Pool pool = cluster.pool();
 *     List<Integer> doubled = pool.map(x -> x * 2, items);
 * }
 * }</pre>
 *
 * <p>A pool from {@link #pool()} is an {@link org.multiprocessing4j.Pool} like a local one, with every
 * method and guarantee, on every worker slot of the members (their {@code --workers}). Each member starts
 * the pool's worker JVMs, which connect to this driver: tasks and results go between the driver and the
 * workers, not through the member. Tasks go to workers with room: each holds about a millisecond of its
 * work by its recent pace, at least the task it runs and the next. A member that dies (killed, cut off, stopped) loses nothing: what ran there
 * runs again elsewhere, which does not count against {@link Pool.Builder#retries(int) retries}, and each
 * result is reported once. A task may therefore run more than once: its side effects are at-least-once. A
 * task past its deadline has its worker killed on its member, and fails with
 * {@link java.util.concurrent.TimeoutException}; a worker that dies fails its task with
 * {@link org.multiprocessing4j.WorkerLostException}, as on one machine. Tasks wait while no member has
 * room. If this driver loses every member (none reachable for the client's 30 s to reconnect), its
 * pools are terminated: their unfinished work fails with {@link ProcessError} ("the connection to the
 * cluster was lost"), and they take no more.
 *
 * <p>A member takes work from this driver only if it holds the same authkey and runs the same code (the
 * same jars on its class path, by content); others are refused and named, see {@link #pool()}. The
 * members' workers connect to this driver on the address it reaches the members from, on a free port or
 * the one the system property {@code multiprocessing4j.cluster.driverPort} gives: every member must be able
 * to reach it there. Every connection proves the authkey by an HMAC challenge before anything is read, and
 * everything crosses the cluster signed with HMAC-SHA256 under the authkey, checked before anything is deserialized;
 * it is encrypted (AES-256-GCM, a key per session derived from the authkey) only where the system property
 * {@code multiprocessing4j.cluster.encrypt} is {@code true}, on this JVM and on every member alike.
 *
 * <p>{@link #close()} terminates this driver's pools (their unfinished work fails with
 * {@link java.util.concurrent.CancellationException}), frees their workers on every member, and leaves the
 * cluster. A driver that dies without closing has its workers killed: a member notices it when the
 * driver's connection to it closes (its kernel closes it even after {@code kill -9}), or, when the network
 * is cut, within the failure-detection timeout (system property
 * {@code multiprocessing4j.cluster.failureSeconds}, default 5). Thread-safe.
 */
public final class Cluster implements AutoCloseable {
    private final String name;
    private final Driver driver;
    private final List<Pool> pools = new ArrayList<>();

    private Cluster(String name, Driver driver) {
        this.name = name;
        this.driver = driver;
    }

    /**
     * Connects to the cluster {@code clusterName} through the members at {@code addresses}, blocking until
     * every member has been greeted (at most 30 s).
     *
     * @param addresses one or more members' {@code HOST:PORT}, comma-separated
     * @param authkey the cluster's key, the bytes of the members' {@code --authkey-file}
     * @throws IllegalArgumentException if an address is not {@code HOST:PORT}
     * @throws AuthenticationError if the members refused this authkey
     * @throws ProcessError if no member answered
     */
    public static Cluster connect(String clusterName, String addresses, byte[] authkey) {
        Objects.requireNonNull(clusterName, "clusterName");
        Objects.requireNonNull(authkey, "authkey");
        List<String> list = new ArrayList<>();
        for (String a : Objects.requireNonNull(addresses, "addresses").split(",")) {
            String s = a.trim();
            int colon = s.lastIndexOf(':');
            if (colon <= 0 || !s.substring(colon + 1).matches("[0-9]{1,5}")) {
                throw new IllegalArgumentException("not HOST:PORT: '" + s + "' in '" + addresses + "'");
            }
            list.add(s);
        }
        if (authkey.length == 0) {
            throw new IllegalArgumentException("the authkey is empty");
        }
        return new Cluster(clusterName, Driver.connect(clusterName, list, authkey));
    }

    /** The {@code HOST:PORT} of the members that take this driver's work, sorted. */
    public List<String> members() {
        return driver.peers().stream().map(Driver.Peer::address).sorted().toList();
    }

    /** The worker slots of those members now. */
    public int workers() {
        return driver.peers().stream().mapToInt(Driver.Peer::slots).sum();
    }

    /**
     * Waits up to {@code timeout} (not null; zero or negative: looks once) until at least {@code n}
     * members take this driver's work.
     *
     * @return false if the timeout passed first
     * @throws ProcessError if the thread was interrupted (its flag is set again)
     */
    public boolean awaitMembers(int n, Duration timeout) {
        try {
            return driver.awaitPeers(n, Objects.requireNonNull(timeout, "timeout"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProcessError("awaitMembers was interrupted", e);
        }
    }

    /** A pool on every worker slot of the cluster, with the default options. */
    public Pool pool() {
        return pool(Pool.builder());
    }

    /**
     * A pool on the cluster with {@code settings}' task timeout, retries, read-ahead, initializer and
     * maxTasksPerChild; its process count, if set, caps the worker slots used. Members that join later
     * add their slots, up to that cap.
     *
     * @throws IllegalStateException if this connection was closed, or no member is there yet (see
     *     {@link #awaitMembers})
     * @throws ProcessError if every member there was refused (the message says why: another authkey, other
     *     code, encryption on one side only)
     * @throws IllegalArgumentException if the initializer is not serializable
     */
    public synchronized Pool pool(Pool.Builder settings) {
        PoolAccess.Settings s = PoolAccess.get().settings(Objects.requireNonNull(settings, "settings"));
        if (driver.isClosed()) {
            throw new IllegalStateException("the cluster connection is closed");
        }
        int total = workers();
        if (total == 0) {
            String refusals = driver.refusals();
            if (!refusals.isEmpty()) {
                throw new ProcessError("no member of the cluster '" + name + "' takes work: " + refusals);
            }
            throw new IllegalStateException("no member of the cluster '" + name + "' takes work yet:"
                    + " awaitMembers() waits for them");
        }
        int cap = s.processes() > 0 ? s.processes() : Integer.MAX_VALUE;
        byte[] initializer = s.initializer() == null ? new byte[0]
                : Serialization.toBytes(s.initializer(), "the pool's initializer");
        ClusterEngine engine = new ClusterEngine(driver, cap, Math.min(cap, total), initializer, s.maxTasksPerChild(),
                s.taskTimeout(), s.retries());
        Pool pool = (Pool) PoolAccess.get().newPool(engine, s.readAhead());
        pools.add(pool);
        return pool;
    }

    /**
     * Terminates this driver's pools, frees their workers on every member, and leaves the cluster.
     * Idempotent.
     */
    @Override
    public synchronized void close() {
        for (Pool p : pools) {
            p.terminate();
        }
        driver.close();
    }

    @Override
    public String toString() {
        return "<Cluster " + name + " members=" + members() + ">";
    }
}
