package org.multiprocessing4j.internal.manager;

import java.io.IOException;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Interrupts a server thread blocked in a served method (a {@code take()}, say) when its client goes
 * away meanwhile: the client was interrupted and ended its side of the connection (it then waits for
 * this call's reply, see {@code ManagerClient}), or its process died. Without this the thread would
 * wait on, and take the next item for a caller who is no longer there.
 *
 * <p>While a call that may block runs, its client sends nothing (one request, one reply), so the
 * connection becoming readable then means its end. One daemon thread waits on a selector for the
 * connections whose calls are blocked; it never reads from them, so a request that arrives just after
 * a call ended is left for the server thread. Each call has a number, and the watch interrupts only
 * the call it was armed for: a readiness it saw for an earlier call never interrupts a later one.
 */
final class CallWatch implements Runnable {
    private static final long IDLE = 0;
    private static final long IN_CALL = 1;
    private static final long INTERRUPTED = 2;

    private final ConcurrentLinkedQueue<Watched> changes = new ConcurrentLinkedQueue<>();
    private Selector selector; // guarded by this until started
    private volatile boolean stopped;

    /**
     * A connection's watch: the number of its last call times 4 plus that call's state; and (watcher
     * thread only) its key and the call number it is armed for.
     */
    static final class Watched {
        final SocketChannel channel;
        final AtomicLong state = new AtomicLong(IDLE);
        volatile Thread caller;
        SelectionKey key;  // watcher thread only
        long armed = -1;   // watcher thread only

        Watched(SocketChannel channel) {
            this.channel = channel;
        }
    }

    /** Before a call that may block, in the thread that makes it. */
    void begin(Watched w) {
        w.caller = Thread.currentThread();
        w.state.set(((w.state.get() >>> 2) + 1) << 2 | IN_CALL); // only this thread changes the number
        Selector s = selector();
        if (s != null) {
            changes.add(w);
            s.wakeup();
        }
    }

    /**
     * After the call. If the watch interrupted the thread, the interrupt is cleared (the caller is gone;
     * the connection's next read tells the server thread so).
     */
    void end(Watched w) {
        long call = w.state.get() >>> 2;
        if (!w.state.compareAndSet(call << 2 | IN_CALL, call << 2 | IDLE)) {
            w.state.set(call << 2 | IDLE);
            Thread.interrupted();
        }
        Selector s = selector;
        if (s != null) {
            changes.add(w);
            s.wakeup();
        }
    }

    void stop() {
        stopped = true;
        Selector s = selector;
        if (s != null) {
            s.wakeup();
        }
    }

    private synchronized Selector selector() {
        if (selector == null && !stopped) {
            try {
                selector = Selector.open();
            } catch (IOException e) {
                return null; // no watch then: a blocked call waits for its own wake-up
            }
            Thread t = new Thread(this, "mp4j-manager-watch");
            t.setDaemon(true);
            t.start();
        }
        return selector;
    }

    @Override
    public void run() {
        Selector s = selector;
        try (s) {
            while (!stopped) {
                Watched w;
                while ((w = changes.poll()) != null) {
                    apply(s, w);
                }
                s.select();
                for (SelectionKey k : s.selectedKeys()) {
                    Watched gone = (Watched) k.attachment();
                    try {
                        k.interestOps(0); // level-triggered: look no more until the next call
                    } catch (CancelledKeyException closed) {
                        // the connection was closed: its thread sees that itself
                    }
                    if (gone.state.compareAndSet(gone.armed << 2 | IN_CALL, gone.armed << 2 | INTERRUPTED)) {
                        Thread caller = gone.caller;
                        if (caller != null) {
                            caller.interrupt();
                        }
                    }
                }
                s.selectedKeys().clear();
            }
        } catch (IOException | RuntimeException e) {
            // the watch ends; blocked calls then end only of their own accord
        }
    }

    private static void apply(Selector s, Watched w) {
        long state = w.state.get();
        int ops = (state & 3) == IN_CALL ? SelectionKey.OP_READ : 0;
        w.armed = state >>> 2;
        try {
            if (w.key == null) {
                if (ops == 0) {
                    return;
                }
                w.key = w.channel.register(s, ops, w);
            } else {
                w.key.interestOps(ops);
            }
        } catch (ClosedChannelException | CancelledKeyException closed) {
            // the connection is closed: nothing to watch
        }
    }
}
