package org.multiprocessing4j.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.logging.ConsoleHandler;
import java.util.logging.Handler;
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
 */
public final class TestLogging {
    public TestLogging() throws IOException {
        LogManager.getLogManager().reset();
        String dir = System.getProperty("mp4j.test.logDir");
        Handler handler = dir == null ? new ConsoleHandler() : new Appending(Path.of(dir).resolve("jul.log"));
        Logger.getLogger("").addHandler(handler);
    }

    /** Appends each record in one write, so that the lines of JVMs logging at once do not interleave. */
    private static final class Appending extends Handler {
        private final FileChannel file;
        private final String pid = Long.toString(ProcessHandle.current().pid());

        Appending(Path log) throws IOException {
            Files.createDirectories(log.getParent());
            file = FileChannel.open(log, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            setFormatter(new SimpleFormatter());
        }

        @Override
        public synchronized void publish(LogRecord record) {
            if (!isLoggable(record)) {
                return;
            }
            String text = "[pid " + pid + "] " + getFormatter().format(record);
            try {
                file.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
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
