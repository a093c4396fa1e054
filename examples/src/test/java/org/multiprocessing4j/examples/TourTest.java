package org.multiprocessing4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The tour: its list, running a selection of examples each under its heading, and bad names. */
@Timeout(30)
class TourTest {
    private static final Duration LIMIT = Duration.ofSeconds(20);

    @RegisterExtension
    final ExampleJvms jvms = new ExampleJvms();

    @Test
    void listNamesEveryExample() throws Exception {
        ExampleRun run = jvms.run(Tour.class, LIMIT, "--list");

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.lines()).hasSize(Example.values().length);
        for (Example e : Example.values()) {
            assertThat(run.lines()).as(run.output()).anyMatch(line -> line.startsWith(e.key() + " "));
        }
    }

    @Test
    void runsTheSelectedExamplesEachUnderItsHeading() throws Exception {
        ExampleRun run = jvms.run(Tour.class, LIMIT, "workers", "DaemonProcesses");

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.lines()).as(run.output())
                .contains(Example.WORKERS.heading(), Example.DAEMON.heading())
                .doesNotContain(Example.DOUBLER.heading())
                .anyMatch(line -> line.startsWith("--- workers: exit 0 after "))
                .anyMatch(line -> line.startsWith("--- daemon: exit 0 after "))
                .anyMatch(line -> line.startsWith("exiting: non-daemon "))
                .noneMatch(line -> line.startsWith("exiting: daemon"));
        assertThat(run.count("worker")).isEqualTo(5);
        assertThat(run.lines().indexOf(Example.WORKERS.heading()))
                .isLessThan(run.lines().indexOf("worker"))
                .isLessThan(run.lines().indexOf(Example.DAEMON.heading()));
    }

    @Test
    void anUnknownNameIsRefused() throws Exception {
        ExampleRun run = jvms.run(Tour.class, LIMIT, "no-such-example");

        assertThat(run.exitCode()).as(run.output()).isEqualTo(2);
        assertThat(run.stderr()).contains("no example named 'no-such-example'");
    }
}
