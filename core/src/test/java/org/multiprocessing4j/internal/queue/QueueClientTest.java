package org.multiprocessing4j.internal.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.multiprocessing4j.ProcessError;

/** The queue client over a real socket to this JVM's queue server: what each refusal means. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class QueueClientTest {

    /** A queue its server no longer serves is a server-side failure, a ProcessError, as Queue promises. */
    @Test
    void aQueueTheServerNoLongerServesIsAProcessError() {
        QueueClient client = QueueClient.of(QueueServer.get().address());
        assertThatThrownBy(() -> client.size(Long.MAX_VALUE)).isInstanceOf(ProcessError.class)
                .hasMessageContaining("no such queue");
        assertThatThrownBy(() -> client.openStream(Long.MAX_VALUE)).isInstanceOf(ProcessError.class)
                .hasMessageContaining("no such queue");
    }

    /** taskDone() once too often is the caller's misuse: IllegalStateException, over the socket too. */
    @Test
    void taskDoneTooOftenIsMisuse() {
        QueueServer server = QueueServer.get();
        long id = server.create(0, true);
        QueueClient client = QueueClient.of(server.address());
        assertThatThrownBy(() -> client.taskDone(id)).isInstanceOf(IllegalStateException.class)
                .isNotInstanceOf(ProcessError.class).hasMessageContaining("too many");
        assertThat(client.size(id).asLong()).isZero();
    }
}
