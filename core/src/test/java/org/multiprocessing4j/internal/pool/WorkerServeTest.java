package org.multiprocessing4j.internal.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.EOFError;
import org.multiprocessing4j.ProcessError;
import org.multiprocessing4j.TaskFunction;
import org.multiprocessing4j.internal.codec.Serialization;

/**
 * A worker's loop over a channel that is not its pool's pipe (a cluster's worker runs it over its link to
 * its driver), fed the messages a remote driver builds with {@link RemoteWorkers}: the answers it writes read as a
 * local pool's worker's do. The loop runs here, in this JVM: nothing crosses a process.
 */
class WorkerServeTest {

    /** What a driver sent, in order, then the end of the channel; and what the worker answered. */
    private static final class Channel implements WorkerMain.Channel {
        final ArrayDeque<byte[]> in = new ArrayDeque<>();
        final List<byte[]> out = new ArrayList<>();
        int reads;

        Channel send(ByteBuffer... parts) {
            int n = 0;
            for (ByteBuffer b : parts) {
                n += b.remaining();
            }
            ByteBuffer m = ByteBuffer.allocate(n + 3).position(3); // a message that lies inside a larger array
            for (ByteBuffer b : parts) {
                m.put(b.duplicate());
            }
            in.add(m.array());
            return this;
        }

        @Override
        public ByteBuffer recv() {
            reads++;
            byte[] next = in.poll();
            if (next == null) {
                throw new EOFError("the driver is gone");
            }
            return ByteBuffer.wrap(next, 3, next.length - 3).slice();
        }

        @Override
        public void send(byte[] message) {
            out.add(message);
        }
    }

    /** Reads the answers as the driver does. */
    private static final class Outcome implements Engine.Job {
        final List<Object> results = new ArrayList<>();
        Throwable error;

        @Override
        public void done(Task task, List<Object> r) {
            results.addAll(r);
        }

        @Override
        public void failed(Task task, Throwable e) {
            error = e;
        }
    }

    private static Task chunk(long id, int fnId, TaskFunction<Integer, Integer> fn, List<Integer> args) {
        return Task.ofChunk(id, new Outcome(), 0, fnId, Serialization.toBytes(fn, "fn"), args, 0);
    }

    private static ByteBuffer[] define(Task t) {
        return new ByteBuffer[] {RemoteWorkers.defineHead(t.fnId()), ByteBuffer.wrap(t.fnBytes())};
    }

    private static Outcome read(byte[] answer, Task t) throws Exception {
        ByteBuffer b = ByteBuffer.wrap(answer);
        assertThat(RemoteWorkers.taskOf(b)).isEqualTo(t.id());
        RemoteWorkers.read(b).deliver(t);
        return (Outcome) t.job();
    }

    @Test
    void chunksAndCallsRunInOrderAndTheirAnswersReadAsAWorkersDo() throws Exception {
        TaskFunction<Integer, Integer> square = x -> x * x;
        TaskFunction<Integer, Integer> halve = x -> 10 / x;
        Task a = chunk(11, 1, square, List.of(2, 3));
        Task b = chunk(12, 2, halve, List.of(5, 0));
        Callable<String> hello = (Callable<String> & java.io.Serializable) () -> "hello";
        Task c = Task.ofCall(13, new Outcome(), 0, Serialization.toBytes(hello, "call"), 0);
        Channel ch = new Channel().send(define(a)).send(ByteBuffer.wrap(a.message())).send(define(b))
                .send(ByteBuffer.wrap(b.message())).send(ByteBuffer.wrap(c.message()));

        WorkerMain.serve(ch, 0); // returns at the end of the channel

        assertThat(ch.out).hasSize(3);
        assertThat(read(ch.out.get(0), a).results).containsExactly(4, 9);
        assertThat(read(ch.out.get(1), b).error).isInstanceOf(ArithmeticException.class); // one task's exception
        assertThat(read(ch.out.get(2), c).results).containsExactly("hello");
    }

    @Test
    void theWorkerEndsAfterItsMostTasksOrWhenToldToQuit() {
        TaskFunction<Integer, Integer> same = x -> x;
        Task a = chunk(1, 1, same, List.of(1));
        Task b = chunk(2, 1, same, List.of(2));
        Channel most = new Channel().send(define(a)).send(ByteBuffer.wrap(a.message())).send(ByteBuffer.wrap(b.message()));
        WorkerMain.serve(most, 1);
        assertThat(most.out).hasSize(1);
        assertThat(most.in).as("the second task is not read").hasSize(1);

        Channel quit = new Channel().send(ByteBuffer.wrap(RemoteWorkers.quitMessage())).send(define(a));
        WorkerMain.serve(quit, 0);
        assertThat(quit.reads).isEqualTo(1);
        assertThat(quit.out).isEmpty();
    }

    @Test
    void aChunkOfAFunctionNotDefinedOrAnUnknownMessageEndsTheWorker() {
        Task a = chunk(1, 7, x -> x, List.of(1));
        assertThatThrownBy(() -> WorkerMain.serve(new Channel().send(ByteBuffer.wrap(a.message())), 0))
                .isInstanceOf(ProcessError.class).hasMessageContaining("names function 7");
        assertThatThrownBy(() -> WorkerMain.serve(new Channel().send(ByteBuffer.wrap(new byte[] {'?'})), 0))
                .isInstanceOf(ProcessError.class).hasMessageContaining("unknown message");
        assertThatThrownBy(() -> WorkerMain.serve(new Channel().send(ByteBuffer.allocate(0)), 0))
                .isInstanceOf(ProcessError.class).hasMessageContaining("empty");
    }

    @Test
    void anAnswerTooShortToNameItsTaskIsRefused() {
        assertThatThrownBy(() -> RemoteWorkers.taskOf(ByteBuffer.wrap(new byte[8]))).isInstanceOf(java.io.IOException.class);
    }
}
