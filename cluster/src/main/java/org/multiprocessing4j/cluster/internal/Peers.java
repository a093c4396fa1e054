package org.multiprocessing4j.cluster.internal;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A driver's peers (the members that welcomed it), by member UUID, and the generation of its sessions. The
 * greetings, the lanes' ends and Hazelcast's membership events reach a driver on different threads and in
 * any order; these rules keep its table true whatever the order:
 * <ul>
 *   <li>a peer is admitted only for a HELLO of the current generation ({@link #newGeneration()}, when the
 *       driver found the cluster again, makes every greeting under way stale and drops the peers), while
 *       its lane is open (the member took its LANE) and its member is in the cluster;
 *   <li>a peer of a newer session (a HELLO of a higher epoch) replaces its member's older one, which
 *       {@link #admit} returns for the caller to let go; a peer of an older session than the one held is
 *       not admitted: the member ended that session when it began the newer one;
 *   <li>the end of a lane removes its own peer only, never a newer peer of the same member.
 * </ul>
 *
 * <p>Thread-safe. Every change wakes {@link #await}.
 */
final class Peers {
    private final Map<UUID, Driver.Peer> byMember = new ConcurrentHashMap<>(); // written under this
    private long generation = 1;                                               // guarded by this
    private boolean closed;                                                    // guarded by this

    /** What {@link #admit} did: whether the peer is in, and the older peer of its member it replaced (or null). */
    record Admission(boolean admitted, Driver.Peer replaced) {
    }

    /** The generation of the greetings sent now. */
    synchronized long generation() {
        return generation;
    }

    /**
     * Begins a new generation (the driver found the cluster again): a greeting of an older one is not
     * admitted from now on, and the peers of the old one are removed, in the same step; those peers.
     */
    synchronized List<Driver.Peer> newGeneration() {
        generation++;
        List<Driver.Peer> old = List.copyOf(byMember.values());
        byMember.clear();
        notifyAll();
        return old;
    }

    /** Whether a greeting of {@code greeting}'s generation is still current. */
    synchronized boolean isCurrent(long greeting) {
        return greeting == generation && !closed;
    }

    /**
     * Admits {@code p}, welcomed for a HELLO of the generation {@code greeting}, if it is current, its lane is
     * open, the table is not closed, the peer its member has (if any) is of an older session, and
     * {@code stillMember} (asked last, under the table's lock) holds.
     * The check and the insertion are one step against {@link #laneEnded} and {@link #remove}: a lane
     * that ends from now on finds its peer here.
     */
    synchronized Admission admit(Driver.Peer p, long greeting, BooleanSupplier stillMember) {
        Driver.Peer held = byMember.get(p.member().getUuid());
        if (closed || greeting != generation || p.lane().isClosed() || held != null && held.epoch() > p.epoch()
                || !stillMember.getAsBoolean()) {
            return new Admission(false, null);
        }
        Driver.Peer replaced = byMember.put(p.member().getUuid(), p);
        notifyAll();
        return new Admission(true, replaced);
    }

    /** Removes the peer of {@code member}, whichever it is; the removed one, or null. */
    synchronized Driver.Peer remove(UUID member) {
        Driver.Peer p = byMember.remove(member);
        notifyAll();
        return p;
    }

    /** {@code lane} ended: the peer it belongs to is removed, if it is still a peer; that peer, or null. */
    synchronized Driver.Peer laneEnded(Lane lane) {
        for (Driver.Peer p : byMember.values()) {
            if (p.lane() == lane) {
                byMember.remove(p.member().getUuid(), p);
                notifyAll();
                return p;
            }
        }
        return null;
    }

    /** The peer of {@code member} now, or null. Does not block. */
    Driver.Peer get(UUID member) {
        return byMember.get(member);
    }

    /** The peers now. Does not block. */
    List<Driver.Peer> list() {
        return List.copyOf(byMember.values());
    }

    /** Closes the table: nothing is admitted from now on; the peers it held. */
    synchronized List<Driver.Peer> close() {
        closed = true;
        List<Driver.Peer> all = List.copyOf(byMember.values());
        byMember.clear();
        notifyAll();
        return all;
    }

    /** Waits until there are at least {@code n} peers; false if {@code timeout} passed first or the table closed. */
    synchronized boolean await(int n, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (long left; byMember.size() < n; ) {
            left = deadline - System.nanoTime();
            if (left <= 0 || closed) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }
}
