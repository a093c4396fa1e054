package org.multiprocessing4j.internal.manager;

import java.util.List;
import org.multiprocessing4j.SerializableRunnable;
import org.multiprocessing4j.internal.codec.Codec;
import org.multiprocessing4j.internal.launch.ProcessBridge;
import org.multiprocessing4j.internal.runtime.ExitActions;
import org.multiprocessing4j.internal.wire.Dial;
import org.multiprocessing4j.internal.wire.RawFrames;
import org.multiprocessing4j.internal.wire.SocketTransport;

/**
 * What the manager's process runs (CPython's {@code BaseManager._run_server}): starts the
 * {@link ManagerServer}, reports its address and token, or why it could not start, to a listener of
 * the process that started it, then serves until asked to shut down, and returns (the process then
 * exits normally, which releases what it held).
 *
 * <p>Stopped by SIGTERM (its parent exited without shutting it down: the manager is a daemonic
 * process), it still closes what it serves before it halts, so that no shared-memory object is left.
 */
public final class ServerMain implements SerializableRunnable {
    private static final long serialVersionUID = 1L;

    private final String bindAddress;
    private final byte[] authkey;
    @SuppressWarnings("serial") // List.copyOf's list, which is serializable
    private final List<TypeSpec> types;
    private final String report;

    /**
     * @param bindAddress where to listen; null for a Unix socket in the manager's runtime directory
     * @param authkey     the key clients must know; null for the process tree's, which the manager inherits
     * @param report      the address of the starter's listener (it has the process tree's authkey)
     */
    public ServerMain(String bindAddress, byte[] authkey, List<TypeSpec> types, String report) {
        this.bindAddress = bindAddress;
        this.authkey = authkey == null ? null : authkey.clone();
        this.types = List.copyOf(types);
        this.report = report;
    }

    /** What the manager's process reports: {@code address} and {@code token}, or {@code error}. */
    public record Started(String address, long token, String error) implements java.io.Serializable {
    }

    @Override
    public void run() {
        // The manager's process is daemonic for its parent (terminated when the parent exits), yet it may
        // start children of its own, a managed pool's workers: Python forbids that to a daemonic process
        // because its children would be orphaned, but ours end with it, through their lifeline.
        org.multiprocessing4j.Multiprocessing.currentProcess().setDaemon(false);
        ManagerServer server;
        try {
            server = ManagerServer.start(bindAddress, authkey, types);
        } catch (RuntimeException e) {
            report(new Started(null, 0, e.getMessage() != null ? e.getMessage() : e.toString()));
            return;
        }
        ExitActions.jvm().beforeHalt(server::release); // a signal or the parent's death halts without hooks: clean up first
        report(new Started(server.address(), server.token(), null));
        try {
            server.awaitStop();
        } catch (InterruptedException e) {
            server.stop();
        }
    }

    private void report(Started started) {
        Codec.Encoded e = Codec.encode(started);
        try (SocketTransport t = Dial.connect(report, ProcessBridge.authkey())) {
            RawFrames.sendObject(t, e.tag(), e.body());
        }
    }
}
