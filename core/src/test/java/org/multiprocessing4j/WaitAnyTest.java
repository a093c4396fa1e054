package org.multiprocessing4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.multiprocessing4j.testing.Targets;

@Timeout(value = 90, unit = TimeUnit.SECONDS)
class WaitAnyTest {

    @Test
    void returnsTheConnectionsThatAreReadableAndTheProcessesThatEnded() {
        try (Listener listener = new Listener()) {
            String address = listener.address();
            Process talker = new Process(() -> {
                try (Connection c = Client.connect(address, null)) {
                    c.recv(); // "go"
                    c.send("hello");
                    c.recv(); // wait for the parent before closing
                }
            });
            Process silent = new Process(() -> {
                try (Connection c = Client.connect(address, null)) {
                    c.recv(); // the parent never writes; ends when the parent closes
                } catch (EOFError expected) {
                    // done
                }
            });
            Process sleeper = new Process(() -> Targets.sleep(60_000));
            talker.start();
            Connection a = listener.accept();
            silent.start();
            Connection b = listener.accept();
            sleeper.start();
            try {
                assertThat(Connection.waitAny(List.of(a, b, sleeper), Duration.ofMillis(200)))
                        .as("nothing ready: the timeout elapses").isEmpty();
                a.send("go");
                assertThat(Connection.waitAny(List.of(a, b, sleeper), Duration.ofSeconds(30))).containsExactly(a);
                assertThat(a.recv()).isEqualTo("hello");
                sleeper.terminate();
                assertThat(Connection.waitAny(List.of(b, sleeper), null)).containsExactly(sleeper);
                a.send("bye");
                talker.join();
                assertThat(Connection.waitAny(List.of(a, b, talker), Duration.ofSeconds(30)))
                        .as("the talker closed its end and ended").containsExactly(a, talker);
                assertThatThrownBy(a::recv).isInstanceOf(EOFError.class);
            } finally {
                a.close();
                b.close();
                for (Process p : List.of(talker, silent, sleeper)) {
                    if (!p.join(Duration.ofSeconds(10))) {
                        p.kill();
                        p.join();
                        throw new AssertionError(p.name() + " did not end once its connection was closed");
                    }
                }
            }
            assertThatThrownBy(() -> Connection.waitAny(List.of(a), Duration.ZERO)).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> Connection.waitAny(List.of("x"), Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> Connection.waitAny(List.of(new Process(() -> { })), Duration.ZERO))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void pipeEndsThatAreNotJoinedYetWakeItWhenTheyAreOrWhenTheirPeerIsGone() {
        try (Pipe talks = Pipe.open(); Pipe quiet = Pipe.open(); Event go = new Event()) {
            Connection talker = talks.right();
            Connection silentEnd = quiet.right();
            Process p = new Process(() -> {
                go.await();
                talker.send("joined and sent");
                silentEnd.close(); // never used: its peer is gone
            });
            p.start();
            talker.close();
            silentEnd.close();
            List<Connection> mine = List.of(talks.left(), quiet.left());
            assertThat(Connection.waitAny(mine, Duration.ofMillis(200)))
                    .as("the other ends are held by a child that has not used them").isEmpty();
            go.set();
            List<Object> ready = Connection.waitAny(mine, Duration.ofSeconds(30));
            assertThat(ready).isNotEmpty();
            if (!ready.contains(talks.left())) {
                assertThat(Connection.waitAny(List.of(talks.left()), Duration.ofSeconds(30))).hasSize(1);
            }
            assertThat(talks.left().recv()).isEqualTo("joined and sent");
            assertThat(Connection.waitAny(List.of(quiet.left()), Duration.ofSeconds(30))).containsExactly(quiet.left());
            assertThatThrownBy(quiet.left()::recv).isInstanceOf(EOFError.class);
            p.join();
        }
    }
}
