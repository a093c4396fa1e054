package org.multiprocessing4j.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.cluster.Address;
import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.impl.MemberImpl;
import com.hazelcast.version.MemberVersion;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.internal.runtime.StartMethod;

/**
 * A driver's table of peers under the orders in which greetings, lane ends and reconnections can reach
 * it. Each step is taken in the order under test, on real lanes to a real member's lane server: a lane
 * that has ended is one whose connection closed.
 */
class PeersTest {
    private static final byte[] KEY = "the key".getBytes(StandardCharsets.UTF_8);
    private final Peers peers = new Peers();
    private final List<Lane> lanes = new ArrayList<>();
    private final List<Lane> ended = new ArrayList<>();
    private LaneServer server;
    private Member member;

    @BeforeEach
    void start() throws Exception {
        MemberService service = new MemberService(KEY, "127.0.0.1:1", 1, StartMethod.SPAWN);
        service.started(UUID.randomUUID(), "127.0.0.1:2");
        server = LaneServer.start("127.0.0.1", KEY, service);
        member = new MemberImpl(new Address("127.0.0.1", 5701), MemberVersion.of(5, 7, 0), false, UUID.randomUUID());
    }

    @AfterEach
    void stop() {
        lanes.forEach(Lane::close);
        server.close();
    }

    /** A peer of {@code member} with a lane of its own; a lane that ends is noted in {@link #ended}. */
    private Driver.Peer peer() throws Exception {
        return peer(1);
    }

    /** {@link #peer()}, for a HELLO of epoch {@code epoch}. */
    private Driver.Peer peer(long epoch) throws Exception {
        Lane lane = Lane.open(server.address(), KEY, "a test member", l -> {
            synchronized (ended) {
                ended.add(l);
            }
        });
        lanes.add(lane);
        return new Driver.Peer(member, "127.0.0.1:5701", 1, 1, new byte[32], null, epoch, lane, "127.0.0.1:5702");
    }

    @Test
    void aWelcomeForAHelloOfAGenerationThatEndedIsNotAdmitted() throws Exception {
        long first = peers.generation();
        Driver.Peer old = peer();
        assertThat(peers.admit(old, first, () -> true).admitted()).isTrue();
        assertThat(peers.newGeneration()).as("the old generation's peers, dropped").containsExactly(old);
        assertThat(peers.list()).isEmpty();
        assertThat(peers.generation()).isEqualTo(first + 1);
        assertThat(peers.isCurrent(first)).isFalse();
        assertThat(peers.admit(peer(), first, () -> true).admitted()).isFalse();
        assertThat(peers.list()).isEmpty();
        Driver.Peer p = peer();
        assertThat(peers.admit(p, first + 1, () -> true)).isEqualTo(new Peers.Admission(true, null));
        assertThat(peers.list()).containsExactly(p);
    }

    @Test
    void aPeerWhoseLaneEndedWhileItWasGreetedIsNotAdmitted() throws Exception {
        Driver.Peer p = peer();
        p.lane().close(); // the member's lane closed before the driver took the welcome in
        assertThat(peers.admit(p, peers.generation(), () -> true).admitted()).isFalse();
        assertThat(peers.laneEnded(p.lane())).isNull();
        assertThat(peers.list()).isEmpty();
        assertThat(peers.admit(peer(), peers.generation(), () -> false).admitted()).isFalse(); // it left the cluster
        assertThat(peers.list()).isEmpty();
    }

    @Test
    void aMemberGreetedTwiceKeepsItsNewerSessionsPeerAndTheOlderLanesEndLeavesItAlone() throws Exception {
        Driver.Peer older = peer(7);
        Driver.Peer newer = peer(8);
        assertThat(peers.admit(older, peers.generation(), () -> true).admitted()).isTrue();
        assertThat(peers.admit(newer, peers.generation(), () -> true)).isEqualTo(new Peers.Admission(true, older));
        older.lane().close();
        assertThat(ended).containsExactly(older.lane());
        assertThat(peers.laneEnded(older.lane())).isNull();
        assertThat(peers.get(member.getUuid())).isSameAs(newer);
        newer.lane().close();
        assertThat(peers.laneEnded(newer.lane())).isSameAs(newer);
        assertThat(peers.list()).isEmpty();
    }

    @Test
    void aPeerOfAnOlderSessionThanTheOneHeldIsNotAdmitted() throws Exception {
        Driver.Peer newer = peer(8); // the member took the HELLO of epoch 8 after that of 7, which it ended then
        Driver.Peer older = peer(7);
        assertThat(peers.admit(newer, peers.generation(), () -> true).admitted()).isTrue();
        assertThat(peers.admit(older, peers.generation(), () -> true)).isEqualTo(new Peers.Admission(false, null));
        assertThat(peers.get(member.getUuid())).isSameAs(newer);
    }

    @Test
    void aWaiterWakesForAnAdmittedPeerAndAClosedTableAdmitsNothing() throws Exception {
        CompletableFuture<Boolean> waiter = CompletableFuture.supplyAsync(() -> {
            try {
                return peers.await(1, Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Driver.Peer p = peer();
        peers.admit(p, peers.generation(), () -> true);
        assertThat(waiter.get(30, TimeUnit.SECONDS)).isTrue();
        assertThat(peers.close()).containsExactly(p);
        assertThat(peers.list()).isEmpty();
        assertThat(peers.isCurrent(peers.generation())).isFalse();
        assertThat(peers.admit(peer(), peers.generation(), () -> true).admitted()).isFalse();
        assertThat(peers.await(1, Duration.ofSeconds(30))).isFalse();
    }
}
