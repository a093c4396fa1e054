package org.multiprocessing4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The {@link Process} contract with {@code forkserver}: a spare JVM, started ahead, takes each process. */
class ForkserverProcessTest extends ProcessContractTest {
    @Override
    String method() {
        return "forkserver";
    }

    @Test
    void everyProcessGetsAJvmOfItsOwnAndSparesAreNotChildren() {
        Set<Long> pids = new HashSet<>();
        for (int i = 0; i < 4; i++) {
            Process p = process(() -> System.exit(Multiprocessing.currentProcess().name().length()));
            p.start();
            p.join();
            assertThat(p.exitCode()).isEqualTo(p.name().length());
            pids.add(p.pid());
        }
        assertThat(pids).as("no JVM is reused").hasSize(4);
        assertThat(Multiprocessing.activeChildren()).as("spares are not listed").isEmpty();
        assertThat(ProcessHandle.current().children().filter(ProcessHandle::isAlive).count())
                .as("spares are waiting").isPositive();
    }
}
