package org.multiprocessing4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.multiprocessing4j.testing.Targets;

@Timeout(value = 90, unit = TimeUnit.SECONDS)
class PipeTest {

    @Test
    void aChildSendsThroughItsEndAndTheParentClosesItsCopyAtOnce() {
        Pipe pipe = Pipe.open();
        Connection childEnd = pipe.right();
        Process p = new Process(() -> {
            childEnd.send(Arrays.asList(42, null, "hello"));
            childEnd.close();
        });
        p.start();
        childEnd.close(); // the parent's copy; the child's stays open
        assertThat(pipe.left().recv()).isEqualTo(Arrays.asList(42, null, "hello"));
        assertThatThrownBy(pipe.left()::recv).as("the child closed its end").isInstanceOf(EOFError.class);
        p.join();
        assertThat(p.exitCode()).isZero();
        pipe.left().close();
    }

    @Test
    void theParentMaySendFirstAndBothWaysWork() {
        try (Pipe pipe = Pipe.open()) {
            Connection childEnd = pipe.right();
            Process echo = new Process(() -> {
                while (true) {
                    Object o = childEnd.recv();
                    if (o == null) {
                        break;
                    }
                    childEnd.send(o);
                }
            });
            echo.start();
            Connection mine = pipe.left();
            mine.send("before the child has used its end");
            assertThat(mine.recv()).isEqualTo("before the child has used its end");
            for (int i = 0; i < 1000; i++) {
                mine.send(i);
                assertThat(mine.recv()).isEqualTo(i);
            }
            byte[] big = new byte[16 << 20];
            big[big.length - 1] = 7;
            mine.send(big);
            assertThat((byte[]) mine.recv()).hasSize(16 << 20).endsWith((byte) 7);
            mine.send(null);
            echo.join();
            assertThat(echo.exitCode()).isZero();
        }
    }

    @Test
    void oneWayPipesRefuseTheWrongDirection() {
        try (Pipe pipe = Pipe.open(false)) {
            assertThatThrownBy(() -> pipe.left().send(1)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("read-only");
            assertThatThrownBy(() -> pipe.right().recv()).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("write-only");
            assertThatThrownBy(() -> pipe.right().poll()).isInstanceOf(IllegalStateException.class);
            pipe.right().send("one way");
            assertThat(pipe.left().recv()).isEqualTo("one way");
        }
    }

    @Test
    void bothEndsInOneThread() {
        try (Pipe pipe = Pipe.open()) {
            pipe.right().send(1);
            pipe.left().sendBytes(new byte[] {2});
            assertThat(pipe.left().recv()).isEqualTo(1);
            assertThat(pipe.right().recvBytes()).containsExactly(2);
        }
    }

    @Test
    void eofWhenTheChildExitsOrIsKilledWithoutSending() {
        Pipe quiet = Pipe.open();
        Connection end = quiet.right();
        Process exits = new Process(() -> end.poll()); // uses its end, then exits
        exits.start();
        end.close();
        assertThatThrownBy(quiet.left()::recv).isInstanceOf(EOFError.class);
        exits.join();
        quiet.close();

        Pipe killedPipe = Pipe.open();
        Connection killedEnd = killedPipe.right();
        Process killed = new Process(() -> {
            killedEnd.send("ready");
            Targets.sleep(60_000);
        });
        killed.start();
        killedEnd.close();
        assertThat(killedPipe.left().recv()).isEqualTo("ready");
        killed.kill();
        assertThatThrownBy(killedPipe.left()::recv).isInstanceOf(EOFError.class);
        killed.join();
        killedPipe.close();
    }

    @Test
    void anEndClosedBeforeItWasUsedIsEndOfStreamForItsPeer() {
        Pipe pipe = Pipe.open();
        pipe.right().close();
        assertThatThrownBy(pipe.left()::recv).isInstanceOf(EOFError.class);
        pipe.left().close();

        Pipe other = Pipe.open();
        Connection leftEnd = other.left();
        Process reader = new Process(() -> {
            try {
                leftEnd.recv();
                System.exit(2);
            } catch (EOFError expected) {
                System.exit(0);
            }
        });
        reader.start();
        leftEnd.close();
        other.right().close(); // never used, never sent: the child sees end of stream
        reader.join();
        assertThat(reader.exitCode()).isZero();
    }

    @Test
    void anEndAlreadyInUseCannotMoveAndSaysWhy() {
        try (Pipe pipe = Pipe.open()) {
            pipe.left().send("x");
            Connection used = pipe.right();
            assertThat(used.recv()).isEqualTo("x");
            Process p = new Process(() -> used.recv());
            assertThatThrownBy(p::start).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("already connected in this process");
            pipe.left().send("y");
            assertThat(used.recv()).isEqualTo("y");
        }
    }

    @Test
    void whatTheParentSentBeforeTheOtherEndMovedArrivesWhereItWent() {
        try (Pipe pipe = Pipe.open(); Queue<Object> got = new Queue<>()) {
            pipe.left().send("sent before the child existed");
            pipe.left().sendBytes(new byte[0]);
            Connection there = pipe.right();
            Process p = new Process(() -> {
                got.put(there.recv());
                got.put(there.recvBytes().length);
                there.send("reply");
            });
            p.start();
            there.close();
            assertThat(pipe.left().recv()).isEqualTo("reply");
            assertThat(got.get()).isEqualTo("sent before the child existed");
            assertThat(got.get()).isEqualTo(0);
            assertThatThrownBy(pipe.left()::recv).as("the child's copy ended with it").isInstanceOf(EOFError.class);
            p.join();
            assertThat(p.exitCode()).isZero();
        }
    }

    /** Issue 12, point 2: the ends are connected when open() returns, as a socket pair is. */
    @Test
    void aChildSendsAndExitsBeforeTheReadingEndWasEverUsed() {
        Pipe pipe = Pipe.open(false);
        Connection writer = pipe.right();
        Process p = new Process(() -> {
            for (int i = 0; i < 1000; i++) {
                writer.sendBytes(new byte[100], 0, i % 100); // 49,500 bytes, message 0 of every 100 empty
            }
            for (int i = 0; i < 100; i++) {
                writer.send("message " + i);                   // and some 2 KiB more
            }
        });
        p.start();
        writer.close();
        p.join();
        assertThat(p.exitCode()).isZero();
        Connection reader = pipe.left(); // used for the first time now
        for (int i = 0; i < 1000; i++) {
            assertThat(reader.poll()).as("message %d is there", i).isTrue();
            assertThat(reader.recvBytes()).as("message %d", i).hasSize(i % 100);
        }
        for (int i = 0; i < 100; i++) {
            assertThat(reader.recv()).isEqualTo("message " + i);
        }
        assertThat(reader.poll()).as("end of stream is ready").isTrue();
        assertThatThrownBy(reader::recv).isInstanceOf(EOFError.class);
        reader.close();
    }

    @Test
    void closingTheParentsCopyClosesNothingWhileAChildHoldsTheEnd() throws Exception {
        try (Pipe pipe = Pipe.open(); Event go = new Event()) {
            Connection there = pipe.right();
            Process p = new Process(() -> {
                go.await();
                there.send("after the parent closed its copy");
            });
            p.start();
            there.close();
            assertThat(pipe.left().poll(java.time.Duration.ofMillis(300)))
                    .as("neither a message nor end of stream while the child holds its copy").isFalse();
            go.set();
            assertThat(pipe.left().recv()).isEqualTo("after the parent closed its copy");
            assertThatThrownBy(pipe.left()::recv).isInstanceOf(EOFError.class);
            p.join();
        }
    }

    @Test
    void endOfStreamAtOnceWhenEveryCopyIsGoneThoughTheReaderNeverUsedItsEnd() {
        Pipe closedThere = Pipe.open();
        Connection end = closedThere.right();
        Process closes = new Process(end::close); // never used, closed
        closes.start();
        end.close();
        closes.join();
        assertThat(closedThere.left().poll()).isTrue();
        assertThatThrownBy(closedThere.left()::recv).isInstanceOf(EOFError.class);
        closedThere.close();

        Pipe exited = Pipe.open();
        Connection held = exited.right();
        Process ignores = new Process(() -> held.isClosed()); // holds a copy, never uses it, exits
        ignores.start();
        held.close();
        ignores.join();
        assertThatThrownBy(exited.left()::recv).isInstanceOf(EOFError.class);
        exited.close();

        Pipe killedPipe = Pipe.open();
        Connection killedEnd = killedPipe.right();
        Process holder = new Process(() -> {
            killedEnd.isClosed();
            Targets.sleep(60_000);
        });
        holder.start();
        killedEnd.close();
        holder.kill(); // at any point of its start: before or after its copy reached it
        holder.join();
        assertThatThrownBy(killedPipe.left()::recv).isInstanceOf(EOFError.class);
        killedPipe.close();
    }

    @Test
    void bothEndsInOtherProcessesOneWritesAndExitsBeforeTheOtherStarts() {
        Pipe pipe = Pipe.open(false);
        Connection writerEnd = pipe.right();
        Connection readerEnd = pipe.left();
        Process writer = new Process(() -> {
            for (int i = 0; i < 500; i++) {
                writerEnd.send(i);
            }
        });
        writer.start();
        writerEnd.close();
        writer.join();
        try (Queue<Integer> sum = new Queue<>()) {
            Process reader = new Process(() -> {
                int total = 0;
                int n = 0;
                try {
                    while (true) {
                        total += readerEnd.recv(Integer.class);
                        n++;
                    }
                } catch (EOFError end) {
                    sum.put(n);
                    sum.put(total);
                }
            });
            reader.start();
            readerEnd.close();
            assertThat(sum.get()).isEqualTo(500);
            assertThat(sum.get()).isEqualTo(499 * 500 / 2);
            reader.join();
            assertThat(reader.exitCode()).isZero();
        }
    }

    @Test
    void anEndUsedByOneProcessIsRefusedToAnother() {
        try (Pipe pipe = Pipe.open(); Queue<String> outcome = new Queue<>()) {
            Connection shared = pipe.right();
            SerializableRunnable use = () -> {
                try {
                    shared.send("first");
                    outcome.put("sent");
                } catch (IllegalStateException e) {
                    outcome.put(e.getMessage());
                }
            };
            Process a = new Process(use);
            Process b = new Process(use);
            a.start();
            b.start();
            shared.close();
            List<String> both = List.of(outcome.get(), outcome.get());
            assertThat(both).contains("sent").anyMatch(m -> m.contains("already in use in another process"));
            assertThat(pipe.left().recv()).isEqualTo("first");
            a.join();
            b.join();
        }
    }

    @Test
    void anEndTravelsThroughAnotherConnection() {
        try (Pipe control = Pipe.open(); Pipe data = Pipe.open()) {
            Connection controlEnd = control.right();
            Process p = new Process(() -> {
                Connection received = controlEnd.recv(Connection.class);
                received.send("over the second pipe");
                received.close();
            });
            p.start();
            controlEnd.close();
            control.left().send(data.right());
            data.right().close();
            assertThat(data.left().recv()).isEqualTo("over the second pipe");
            p.join();
            assertThat(p.exitCode()).isZero();
        }
    }

    @Test
    void listenerConnectionsCannotTravel() {
        try (Listener listener = new Listener(); ConnectionTest.Pair pair = ConnectionTest.Pair.of(listener)) {
            Connection c = pair.a();
            Process p = new Process(() -> c.send(1));
            assertThatThrownBy(p::start).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("only the ends of a Pipe");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        assertThat(List.of()).isEmpty();
    }
}
