package org.multiprocessing4j.examples;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.multiprocessing4j.BaseManager;
import org.multiprocessing4j.Process;

/**
 * Python's "using a remote manager" example: a manager listening on TCP with an authkey serves one
 * queue ({@code QueueManager.register('get_queue', callable=lambda: queue)}); a client in another JVM
 * connects by address and key and takes what the server side put. Here the client is a child process;
 * any JVM that can reach the address, on this host or another, could be it.
 */
public final class RemoteManager {
    private static final byte[] AUTHKEY = "abracadabra".getBytes(StandardCharsets.UTF_8);

    private RemoteManager() {
    }

    /** The one queue, in the manager's process: every {@code create("get_queue")} reaches it. */
    static final class TheQueue {
        static final BlockingQueue<String> QUEUE = new LinkedBlockingQueue<>();

        private TheQueue() {
        }

        static BlockingQueue<String> get() {
            return QUEUE;
        }
    }

    public static void main(String[] args) throws InterruptedException {
        try (BaseManager m = new BaseManager("127.0.0.1:0", AUTHKEY)) {
            m.register("get_queue", TheQueue::get, BlockingQueue.class);
            m.start();
            String address = m.address();
            System.out.println("manager listening on 127.0.0.1 (port " + address.substring(address.lastIndexOf(':') + 1)
                    + ")");
            @SuppressWarnings("unchecked")
            BlockingQueue<String> queue = m.create("get_queue", BlockingQueue.class);
            queue.put("hello");
            queue.put("from the server side");

            Process client = new Process(() -> {
                try (BaseManager remote = BaseManager.connect(address, AUTHKEY)) {
                    @SuppressWarnings("unchecked")
                    BlockingQueue<String> q = remote.create("get_queue", BlockingQueue.class);
                    System.out.println("client got: " + q.take());
                    System.out.println("client got: " + q.take());
                    q.put("thanks from the client");
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            client.start();
            client.join();
            System.out.println("server side got: " + queue.take());
        }
    }
}
