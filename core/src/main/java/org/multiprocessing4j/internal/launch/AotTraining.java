package org.multiprocessing4j.internal.launch;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.multiprocessing4j.Process;
import org.multiprocessing4j.SerializableRunnable;
import org.multiprocessing4j.internal.codec.Serialization;
import org.multiprocessing4j.internal.runtime.ChildContext;

/**
 * The training of the AOT cache children use on JDK 25 and later (see {@link ChildArchive}): a run of
 * its own, not a user's child, that does what a child does, after which the JDK builds the cache.
 *
 * <p>{@link #start} runs, in the background, the two steps that JDK 25's {@code -XX:AOTCacheOutput}
 * runs at a JVM's exit, taken apart so that each one's exit status is seen: a child's command with
 * {@code -XX:AOTMode=record} and {@code --train} (which runs {@link #exercise} and exits), then the
 * same command with {@code -XX:AOTMode=create}, which writes the cache from what the first recorded
 * (loaded and linked classes, method profiles). A small shell runs the two and moves the cache into
 * place atomically, so that it is done even if the parent exits first: a short program still leaves a
 * cache for the next. So the training may outlive its parent, by the few seconds it takes; it loads
 * none of the user's classes, reads nothing, and its output, which the JDK writes whatever the logging
 * flags say, goes nowhere. Besides a task, it runs a pool worker's code and a queue's puts and gets
 * through a socket of its own (in its own runtime directory, removed when it exits). Its files are
 * the shell's umask 077 (0600); their temporary names carry the shell's pid, so that those a killed
 * training left behind are removed (see {@link ChildArchive}).
 *
 * <p>It is bounded: each step that runs longer than {@link #STEP_SECONDS} seconds (a hung JVM, an agent
 * from the user's JVM options that never ends) is killed, by coreutils {@code timeout} where there is
 * one (TERM, then KILL 5 s later), else by the shell, which looks once a second; the recording JVM also
 * halts itself at that bound. So a training ends at most about {@code 2 * STEP_SECONDS} seconds after
 * it started, whatever its JVMs do.
 *
 * <p>A training that fails (a step that fails or is killed, or leaves nothing) leaves a marker beside
 * the cache ({@code <cache>.failed}, 0600), and no training of that key starts while the marker is less
 * than {@link ChildArchive#FAILED_MILLIS a day} old: a training that cannot succeed is not retried by every
 * later run. One that succeeds removes the marker.
 *
 * <p>No child waits for it: the child that finds no cache starts without one, and so do the others
 * until the cache is there. It runs at a lower priority ({@code nice -n 10}), so that on a busy machine
 * the program's own children go first.
 */
final class AotTraining {
    /** How long each step of a training may run before it is killed. */
    static final int STEP_SECONDS = 120;

    /**
     * Arguments: the cache's path, the bound of each step in seconds, then the training child's command
     * ({@code java} first). Each step runs under {@code timeout} if there is one, else in the background
     * with the shell killing it at the bound; a failure leaves the marker.
     */
    private static final String SCRIPT = """
            umask 077
            f=$1; s=$2; shift 2
            t=$f.$$.tmp; c=$f.$$.conf.tmp
            java=$1; shift
            trap 'rm -f "$t" "$c"' EXIT
            n=; command -v nice >/dev/null 2>&1 && n="nice -n 10"
            b=; command -v timeout >/dev/null 2>&1 && b="timeout -k 5 $s"
            step() {
              if [ -n "$b" ]; then $b $n "$@"; return; fi
              $n "$@" & p=$!; i=0
              while kill -0 $p 2>/dev/null; do
                [ $i -ge $s ] && kill -9 $p 2>/dev/null
                sleep 1; i=$((i + 1))
              done
              wait $p
            }
            failed() { : > "$f.failed"; exit 1; }
            step "$java" -XX:AOTMode=record "-XX:AOTConfiguration=$c" "-Xlog:aot*=off,cds*=off" "$@" || failed
            test -s "$c" || failed
            step "$java" -XX:AOTMode=create "-XX:AOTConfiguration=$c" "-XX:AOTCache=$t" "-Xlog:aot*=off,cds*=off" "$@" || failed
            test -s "$t" || failed
            mv -f "$t" "$f" && rm -f "$f.failed"
            """;

    /** An exit marker that cannot be created (its parent is no directory): the exit path runs, and leaves nothing. */
    private static final String NO_MARKER = "/dev/null/exit-0";

    private AotTraining() {
    }

    /**
     * Starts a training that leaves the cache at {@code cache}; does not wait for it.
     *
     * @param whenEnded run once the training has ended, whether or not it made a cache
     * @return false if it could not be started (then {@code whenEnded} is not run)
     */
    static boolean start(Path cache, Runnable whenEnded) {
        List<String> cmd = new ArrayList<>(List.of("/bin/sh", "-c", SCRIPT, "sh", cache.toString(),
                String.valueOf(STEP_SECONDS)));
        cmd.addAll(JavaCommand.forTraining().command());
        try {
            new ProcessBuilder(cmd)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start()
                    .onExit().thenRun(whenEnded);
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * What the training child runs: a child's path from its first byte to its exit, on made-up data.
     * It reads its bootstrap from stdin (end of file at once: stdin is /dev/null), warms up as a spare
     * does (serialization of a lambda, the pool worker's decode, loop and encode, see {@link WarmUp}),
     * then reads a bootstrap written here, deserializes the {@code Process} in it, whose target is a
     * lambda, and runs it as this JVM's process, as {@link ChildMain} does, and exits as a child does.
     * A daemon thread halts the JVM if it has not exited {@link #STEP_SECONDS} seconds after this began.
     */
    static void exercise() {
        Thread bound = new Thread(AotTraining::haltAtBound, "mp4j-training-bound");
        bound.setDaemon(true);
        bound.start();
        try {
            Bootstrap.readFrom(Lifeline.stdin());
        } catch (IOException endOfFile) {
            // expected: nothing on stdin
        }
        WarmUp.run();
        ProcessBridge.get().trainQueues();
        try {
            SerializableRunnable target = () -> { };
            byte[] task = Serialization.toBytes(new Process(target), "training task");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            new Bootstrap(new byte[32], ProcessHandle.current().pid(), "MainProcess", NO_MARKER, "spawn", "", task)
                    .writeTo(new DataOutputStream(out));
            Bootstrap bootstrap = Bootstrap.readFrom(new ByteArrayInputStream(out.toByteArray()));
            ChildContext.install(bootstrap.inherited());
            ChildMain.leaveMarkerAtExit(Path.of(bootstrap.exitMarker()));
            ProcessBridge.get().runChild(Serialization.fromBytes(bootstrap.task()));
        } catch (IOException | ClassNotFoundException | RuntimeException | LinkageError e) {
            // a training that does less makes a smaller cache, no worse
        }
    }

    private static void haltAtBound() {
        try {
            Thread.sleep(STEP_SECONDS * 1000L);
        } catch (InterruptedException e) {
            // halt now
        }
        Runtime.getRuntime().halt(1);
    }
}
