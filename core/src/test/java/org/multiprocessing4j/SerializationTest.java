package org.multiprocessing4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.NotSerializableException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SerializationTest {

    /** Something a target may capture by mistake. */
    static final class Connection {
        int calls;
    }

    static final class Holder extends Process {
        private static final long serialVersionUID = 1L;
        @SuppressWarnings("serial") // not serializable: what the test is about
        private final Connection connection = new Connection();

        @Override
        public void run() {
            connection.calls++;
        }
    }

    @Test
    void aTargetCapturingANonSerializableObjectFailsAtStartNamingTheClass() {
        Connection connection = new Connection();
        Process p = new Process(() -> connection.calls++);
        long childrenBefore = ProcessHandle.current().children().count();

        assertThatThrownBy(p::start)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(Connection.class.getName())
                .hasMessageContaining(p.name())
                .hasCauseInstanceOf(NotSerializableException.class);

        assertThat(ProcessHandle.current().children().count()).as("no JVM was started").isEqualTo(childrenBefore);
        assertThat(p.pid()).isNull();
        assertThat(p.isAlive()).isFalse();
    }

    @Test
    void aSubclassWithANonSerializableFieldFailsAtStartNamingTheClass() {
        Holder p = new Holder();
        assertThat(p.name()).startsWith("Holder-");
        assertThatThrownBy(p::start)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(Connection.class.getName());
        assertThat(p.pid()).isNull();
    }

    /** A class of the user's, not Serializable, whose method makes a process whose lambda uses a field. */
    static final class Service {
        int port = 7;

        Process worker() {
            return new Process(() -> System.exit(port));
        }
    }

    @Test
    void aLambdaThatCapturedThisSaysSo() {
        Process p = new Service().worker();
        assertThatThrownBy(p::start)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the lambda captured `this`, an instance of " + Service.class.getName()
                        + ", which is not Serializable");
        assertThat(p.pid()).isNull();
    }

    @Test
    void aPathSaysToSendAString() {
        Path path = Path.of("data", "input.txt");
        assertThatThrownBy(() -> new Process(() -> System.out.println(path)).start())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.nio.file.Path")
                .hasMessageContaining("send the path as a String");
        try (Queue<Object> q = new Queue<>()) {
            assertThatThrownBy(() -> q.put(List.of(path))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("send the path as a String");
        }
    }

    @Test
    void capturedSerializableValuesArriveInTheChild() {
        String word = "hello";
        int expected = word.length() + 40;
        Process p = new Process(() -> System.exit(word.length() + 40));
        p.start();
        p.join();
        assertThat(p.exitCode()).isEqualTo(expected);
    }
}
