package org.multiprocessing4j.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The order of a JVM's exit, as the hook runs it ({@link ExitActions#runExit()}) and as a halt runs it
 * ({@link ExitActions#runHalt()}), on a list of exit actions that no hook runs.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ExitActionsTest {

    @Test
    void anExitRunsTheStagesInTheirOrderWhateverTheOrderOfRegistration() {
        ExitActions actions = new ExitActions();
        List<String> ran = new ArrayList<>();
        List<ExitActions.Stage> reversed = new ArrayList<>(List.of(ExitActions.Stage.values()));
        java.util.Collections.reverse(reversed);
        for (ExitActions.Stage stage : reversed) {
            actions.at(stage, () -> ran.add(stage + " first"));
            actions.at(stage, () -> ran.add(stage + " second"));
        }
        actions.beforeHalt(() -> ran.add("before halt"));

        actions.runExit();

        assertThat(ran).containsExactly(
                "DRAIN first", "DRAIN second",
                "FLUSH_FEEDERS first", "FLUSH_FEEDERS second",
                "TERMINATE_POOLS first", "TERMINATE_POOLS second",
                "EXIT_FUNCTION first", "EXIT_FUNCTION second",
                "STOP_SERVICES first", "STOP_SERVICES second",
                "RELEASE_TRACKER first", "RELEASE_TRACKER second",
                "LEAVE_EXIT_MARKER first", "LEAVE_EXIT_MARKER second",
                "REMOVE_RUNTIME_DIR first", "REMOVE_RUNTIME_DIR second");
    }

    @Test
    void anActionThatThrowsDoesNotStopTheExitAndOneRegisteredTwiceRunsOnce() {
        ExitActions actions = new ExitActions();
        List<String> ran = new ArrayList<>();
        Runnable service = () -> ran.add("service stopped");
        actions.service(service);
        actions.service(service);
        actions.at(ExitActions.Stage.EXIT_FUNCTION, () -> {
            throw new IllegalStateException("expected by the test");
        });
        actions.at(ExitActions.Stage.LEAVE_EXIT_MARKER, () -> ran.add("marker"));
        Thread self = Thread.currentThread();
        Thread.UncaughtExceptionHandler before = self.getUncaughtExceptionHandler();
        List<Throwable> reported = new ArrayList<>();
        self.setUncaughtExceptionHandler((t, e) -> reported.add(e));
        try {
            actions.runExit();
        } finally {
            self.setUncaughtExceptionHandler(before);
        }

        assertThat(ran).containsExactly("service stopped", "marker");
        assertThat(reported).singleElement().extracting(Throwable::getMessage).isEqualTo("expected by the test");
    }

    @Test
    void aHaltRunsOnlyTheBeforeHaltActionsThenRemovesTheDirectory() {
        ExitActions actions = new ExitActions();
        List<String> ran = new ArrayList<>();
        actions.at(ExitActions.Stage.REMOVE_RUNTIME_DIR, () -> ran.add("directory removed"));
        actions.at(ExitActions.Stage.FLUSH_FEEDERS, () -> ran.add("flushed"));
        actions.at(ExitActions.Stage.EXIT_FUNCTION, () -> ran.add("children joined"));
        actions.service(() -> ran.add("service stopped"));
        actions.at(ExitActions.Stage.LEAVE_EXIT_MARKER, () -> ran.add("marker"));
        actions.beforeHalt(() -> ran.add("reader woken"));
        actions.beforeHalt(() -> {
            throw new IllegalStateException("halting anyway");
        });
        actions.beforeHalt(() -> ran.add("server released"));

        actions.runHalt();

        assertThat(ran).containsExactly("reader woken", "server released", "directory removed");
    }

    @Test
    void stoppingTheServicesRunsThatStageAloneAndMayBeRepeated() {
        ExitActions actions = new ExitActions();
        List<String> ran = new ArrayList<>();
        actions.at(ExitActions.Stage.EXIT_FUNCTION, () -> ran.add("children joined"));
        actions.service(() -> ran.add("queue server stopped"));
        actions.service(() -> ran.add("doorbell stopped"));

        actions.runStage(ExitActions.Stage.STOP_SERVICES);
        actions.runStage(ExitActions.Stage.STOP_SERVICES);

        assertThat(ran).containsExactly("queue server stopped", "doorbell stopped",
                "queue server stopped", "doorbell stopped");
    }
}
