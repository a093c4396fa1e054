package org.multiprocessing4j.cluster.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import org.multiprocessing4j.internal.wire.Address;
import org.multiprocessing4j.internal.wire.AuthServer;
import org.multiprocessing4j.internal.wire.SocketTransport;

/**
 * A member's side of the drivers' {@link Lane}s: an authenticated server on the member's interface (a
 * port of its own, picked when it starts, told to drivers in the WELCOME). Each driver's connection is
 * read by a thread of its own, which hands each RUN to the {@link MemberService} and goes on reading;
 * the answer is sent back on the connection by the thread that brings it (the worker's reader), so a
 * task costs this member no thread while it runs. Only RUNs travel here: anything else is refused.
 *
 * <p>{@link #close()} stops accepting and closes every connection; tasks still running then answer
 * nobody (their drivers see the connection end and run them elsewhere).
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
        try {
            while (true) {
                Lane.Frame f = Lane.read(peer);
                CompletableFuture<byte[]> answer = Envelope.kindOf(f.envelope()) == ClusterWire.RUN
                        ? service.respond(f.envelope())
                        : CompletableFuture.completedFuture(Envelope.refusal(null, ClusterWire.ELSE,
                                "only tasks travel on a member's data connection").seal(null));
                answer.thenAccept(reply -> send(peer, f.call(), reply));
            }
        } catch (IOException | RuntimeException ended) {
            // the driver closed the connection or went, or sent what is not a lane's frame (then closed
            // here): its session ends through Hazelcast's client listener
        }
    }

    private static void send(SocketTransport peer, long call, byte[] reply) {
        try {
            peer.sendFrames(Lane.frame(call, reply));
        } catch (IOException gone) {
            peer.close(); // the driver is gone: it runs this task elsewhere, or needs it no more
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
