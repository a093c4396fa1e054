package org.multiprocessing4j.cluster.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.multiprocessing4j.internal.pool.PoolEngine;
import org.multiprocessing4j.internal.wire.Address;
import org.multiprocessing4j.internal.wire.AuthServer;
import org.multiprocessing4j.internal.wire.SocketTransport;

/**
 * A member's side of the drivers' {@link Lane}s: an authenticated server on the member's interface (a
 * port of its own, picked when it starts, told to drivers in the WELCOME). Each driver's connection is
 * read by a thread of its own, which hands each RUN to the {@link MemberService} and goes on reading
 * (the RUNs that came together reach their pool together); the answer is sent back on the
 * connection by the thread that brings it (the worker's reader; the answers of one read of the worker's
 * pipe in one write), so a task costs this member no thread while it runs. Only a LANE (a driver's first frame, naming its
 * session) and RUNs travel here: anything else is refused, and a refused LANE closes the connection (its
 * driver's session here has ended: the driver greets the member again). When a connection ends, the sessions whose
 * LANE came on it end ({@link MemberService#laneEnded}): a driver killed with {@code kill -9} has its
 * workers here killed as soon as its kernel closes the connection.
 *
 * <p>{@link #close()} stops accepting and closes every connection; their sessions then end, each on its
 * connection's thread, after {@code close()} has returned. Tasks still running answer nobody (their
 * drivers see the connection end and run them elsewhere).
 */
public final class LaneServer implements AutoCloseable {
    private final AuthServer server;

    private LaneServer(AuthServer server) {
        this.server = server;
    }

    /**
     * Listens on {@code host}, on a free port.
     *
     * @throws org.multiprocessing4j.ProcessError if it cannot listen there
     */
    public static LaneServer start(String host, byte[] authkey, MemberService service) {
        String any = Address.describe(new InetSocketAddress(host, 0)); // an IPv6 host in brackets
        return new LaneServer(AuthServer.serve(any, authkey, "mp4j-cluster-lanes", "mp4j-cluster-lane",
                peer -> serve(peer, service)));
    }

    /** Where drivers connect ({@code HOST:PORT}). */
    public String address() {
        return server.address();
    }

    /** One driver's connection, until it ends. */
    private static void serve(SocketTransport peer, MemberService service) {
        peer.parkWithoutSpinning(); // the member's workers need the CPU more
        MemberService.LaneSessions sessions = new MemberService.LaneSessions(peer::close);
        MemberService.Relays relays = new MemberService.Relays();
        try {
            answerFrames(peer, service, sessions, relays);
        } finally {
            // the RUNs taken in and not handed to a worker yet are answered at once: their driver, if it is
            // still there, runs them elsewhere
            relays.fail("the driver's connection to the member ended before the task was handed to a worker");
            // the driver closed the connection or went, or sent what is not a lane's frame: its sessions
            // end now, the connection closed first, as that may take a while
            peer.close();
            service.laneEnded(sessions);
        }
    }

    /**
     * Hands each frame to the service, and its answer back, until the connection ends. The RUNs of the
     * frames at hand go to their pools together, once no whole frame is left to read without waiting.
     */
    private static void answerFrames(SocketTransport peer, MemberService service, MemberService.LaneSessions sessions,
            MemberService.Relays relays) {
        try {
            while (true) {
                Lane.Frame f = Lane.read(peer);
                byte kind = Envelope.kindOf(f.envelope());
                CompletableFuture<byte[]> answer = kind == ClusterWire.RUN || kind == ClusterWire.LANE
                        ? service.respond(f.envelope(), sessions, relays)
                        : CompletableFuture.completedFuture(Envelope.refusal(null, ClusterWire.ELSE,
                                "only a LANE and tasks travel on a member's data connection").seal(null));
                answer.thenAccept(reply -> {
                    send(service, peer, f.call(), reply);
                    if (kind == ClusterWire.LANE && Envelope.kindOf(reply) == ClusterWire.REFUSED) {
                        peer.close(); // no session of its driver: the driver sees the lane end
                    }
                });
                if (!peer.hasBufferedFrame()) {
                    relays.submit();
                }
            }
        } catch (IOException | RuntimeException ended) {
            // the connection ended, or its peer sent what is not a lane's frame: the caller closes it
        }
    }

    /**
     * Sends an answer to its driver; on a worker's reader thread, while it takes the answers of one read
     * ({@link #ANSWERS_OF_A_READ}), only once that read's answers are all in: meanwhile {@code service}
     * counts it held ({@link MemberService#answerHeld()}).
     */
    static void send(MemberService service, SocketTransport peer, long call, byte[] reply) {
        ByteBuffer[] frame = Lane.frame(call, reply);
        List<Held> held = HELD.get();
        if (held == null) {
            send(peer, frame);
            return;
        }
        service.answerHeld();
        held.add(new Held(service, peer, frame));
    }

    private static void send(SocketTransport peer, ByteBuffer[] frames) {
        try {
            peer.sendFrames(frames);
        } catch (IOException | RuntimeException gone) { // closed meanwhile, too
            peer.close(); // the driver is gone: it runs these tasks elsewhere, or needs them no more
        }
    }

    /** An answer held back, the member that counts it, and the connection of the driver it goes to. */
    private record Held(MemberService service, SocketTransport peer, ByteBuffer[] frame) {
    }

    /** The answers held back on this thread, while it takes a read of a worker's answers; else null. */
    private static final ThreadLocal<List<Held>> HELD = new ThreadLocal<>();

    /**
     * For the member's pools: the answers that came in one read of a worker's pipe (a worker that
     * answered again while the member sent its last answer on) go to each driver in one write, so the
     * driver's reader wakes once for them.
     */
    static final PoolEngine.ReadBracket ANSWERS_OF_A_READ = new PoolEngine.ReadBracket() {
        @Override
        public void begin() {
            HELD.set(new ArrayList<>());
        }

        @Override
        public void end() {
            List<Held> held = HELD.get();
            HELD.remove();
            if (held == null || held.isEmpty()) {
                return;
            }
            try {
                Map<SocketTransport, List<ByteBuffer>> byPeer = new LinkedHashMap<>();
                for (Held h : held) {
                    byPeer.computeIfAbsent(h.peer(), p -> new ArrayList<>()).addAll(List.of(h.frame()));
                }
                byPeer.forEach((peer, frames) -> send(peer, frames.toArray(ByteBuffer[]::new)));
            } finally {
                held.forEach(h -> h.service().heldAnswerWritten());
            }
        }
    };

    @Override
    public void close() {
        server.close();
    }
}
