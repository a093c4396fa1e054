package org.multiprocessing4j.testing;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.ConsoleHandler;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * The logging of the test JVMs and of the children they start ({@code java.util.logging.config.class},
 * set by the build for both): every record is appended to {@code ${mp4j.test.logDir}/jul.log}, each
 * line with the pid of the JVM that logged it, instead of going to the build's console, where the
 * warnings tests provoke on purpose (a key refused, a lock's holder killed) would read as the build's
 * own. Without {@code mp4j.test.logDir}, records go to stderr as the JDK's default would.
 *
 * <p>Hazelcast's loggers are set to WARNING: left alone (no logging configuration), the cluster module
 * sets them to SEVERE, but it leaves a configuration such as this one to its author; its INFO lines
 * (some forty per member start) would only slow the tests.
 */
public final class TestLogging {
    // held here: the LogManager keeps loggers only weakly, and a logger collected loses its level
    private static final Logger HAZELCAST = Logger.getLogger("com.hazelcast");

    public TestLogging() throws IOException {
        LogManager.getLogManager().reset();
        String dir = System.getProperty("mp4j.test.logDir");
        Handler handler = dir == null ? new ConsoleHandler() : new Appending(Path.of(dir).resolve("jul.log"));
        Logger.getLogger("").addHandler(handler);
        HAZELCAST.setLevel(Level.WARNING);
    }

    /**
     * Appends each record in one write, so that the lines of JVMs logging at once do not interleave;
     * through a stream, not a channel, which a thread interrupted as it logs would close for good.
     */
    private static final class Appending extends Handler {
        private final FileOutputStream file;
        private final String pid = Long.toString(ProcessHandle.current().pid());

        Appending(Path log) throws IOException {
            Files.createDirectories(log.getParent());
            file = new FileOutputStream(log.toFile(), true);
            setFormatter(new SimpleFormatter());
        }

        @Override
        public synchronized void publish(LogRecord record) {
            if (!isLoggable(record)) {
                return;
            }
            String text = "[pid " + pid + "] " + getFormatter().format(record);
            try {
                file.write(text.getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                reportError(null, e, java.util.logging.ErrorManager.WRITE_FAILURE);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public synchronized void close() {
            try {
                file.close();
            } catch (IOException e) {
                reportError(null, e, java.util.logging.ErrorManager.CLOSE_FAILURE);
            }
        }
    }
}
