package org.multiprocessing4j.internal.wire;

import java.io.EOFException;
import java.io.IOException;

/**
 * Joins two claimed ends of a pipe that are both in other processes: two daemon threads in the pipe's
 * home copy whole messages from each connection to the other (see {@link PipeHome}).
 *
 * <p>When one side's stream ends (its process closed the end, or ended), what it sent is passed on and
 * then the other side sees end of stream after it; a side whose peer is gone has its connection closed
 * as soon as it sends again, so its send fails as any send to a closed peer does.
 */
final class PipeRelay implements Runnable {
    private final SocketTransport from;
    private final SocketTransport to;

    private PipeRelay(SocketTransport from, SocketTransport to) {
        this.from = from;
        this.to = to;
    }

    static void start(SocketTransport a, SocketTransport b, String id) {
        thread(new PipeRelay(a, b), id);
        thread(new PipeRelay(b, a), id);
    }

    private static void thread(PipeRelay relay, String id) {
        Thread t = new Thread(null, relay, "mp4j-pipe-relay-" + id, 256 * 1024);
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void run() {
        while (true) {
            SocketTransport.Frame f;
            try {
                f = from.recv(FrameLayout.MAX_PAYLOAD);
            } catch (EOFException ended) {
                to.shutdownOutput();
                if (from.outputShutdown()) {
                    from.close(); // both directions are done
                    to.close();
                }
                return;
            } catch (IOException closed) {
                to.close();
                return;
            }
            try {
                if (f.kind() == FrameLayout.OBJECT) {
                    to.sendObject(f.tag(), f.payload(), 0, f.payload().length);
                } else {
                    to.send(f.kind(), f.payload(), 0, f.payload().length);
                }
            } catch (IOException peerGone) {
                from.close();
                to.close();
                return;
            }
        }
    }
}
