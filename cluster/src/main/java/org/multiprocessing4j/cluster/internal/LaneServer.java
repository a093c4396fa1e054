package org.multiprocessing4j.cluster.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import org.multiprocessing4j.internal.wire.Address;
import org.multiprocessing4j.internal.wire.AuthServer;
import org.multiprocessing4j.internal.wire.SocketTransport;

/**
 * A member's side of the drivers' {@link Lane}s: an authenticated server on the member's interface (a
 * port of its own, picked when it starts, told to drivers in the WELCOME). Each driver's connection is
 * read by a thread of its own, which hands each message to the {@link MemberService} and goes on
 * reading; an answer is sent back on the connection by the thread that has it (an {@code END}'s, the
 * thread that saw its worker end). Only a LANE (a driver's first frame, naming its session), a KILL, an
 * END and a WATCH travel here: anything else is refused, and a refused LANE closes the connection (its
 * driver's session here has ended: the driver greets the member again). When a connection ends, the
 * sessions whose LANE came on it end ({@link MemberService#laneEnded}): a driver killed with
 * {@code kill -9} has its workers here killed as soon as its kernel closes the connection.
 *
 * <p>{@link #close()} stops accepting and closes every connection; their sessions then end, each on its
 * connection's thread, after {@code close()} has returned.
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
        try {
            answerFrames(peer, service, sessions);
        } finally {
            // the driver closed the connection or went, or sent what is not a lane's frame: its sessions
            // end now, the connection closed first, as that may take a while
            peer.close();
            service.laneEnded(sessions);
        }
    }

    /** Hands each frame to the service, and its answer back, until the connection ends. */
    private static void answerFrames(SocketTransport peer, MemberService service, MemberService.LaneSessions sessions) {
        try {
            while (true) {
                Lane.Frame f = Lane.read(peer);
                byte kind = Envelope.kindOf(f.envelope());
                CompletableFuture<byte[]> answer = MemberService.onLaneOnly(kind)
                        ? service.respond(f.envelope(), sessions)
                        : CompletableFuture.completedFuture(Envelope.refusal(null, ClusterWire.ELSE,
                                "only a LANE, a KILL, an END and a WATCH travel on a member's data connection").seal(null));
                answer.thenAccept(reply -> {
                    send(peer, Lane.frame(f.call(), reply));
                    if (kind == ClusterWire.LANE && Envelope.kindOf(reply) == ClusterWire.REFUSED) {
                        peer.close(); // no session of its driver: the driver sees the lane end
                    }
                });
            }
        } catch (IOException | RuntimeException ended) {
            // the connection ended, or its peer sent what is not a lane's frame: the caller closes it
        }
    }

    private static void send(SocketTransport peer, ByteBuffer[] frames) {
        try {
            peer.sendFrames(frames);
        } catch (IOException | RuntimeException gone) { // closed meanwhile, too
            peer.close(); // the driver is gone: it needs these answers no more
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
