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
            Process p = new Process(() -> used.recv());
            assertThatThrownBy(p::start).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("already connected in this process");
            assertThat(used.recv()).isEqualTo("x");
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
