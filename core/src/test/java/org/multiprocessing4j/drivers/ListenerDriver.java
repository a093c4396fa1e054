package org.multiprocessing4j.drivers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.multiprocessing4j.AuthenticationError;
import org.multiprocessing4j.Connection;
import org.multiprocessing4j.Listener;
import org.multiprocessing4j.ProcessError;

/**
 * A {@code Listener} on {@code 127.0.0.1:0} with the key {@code args[0]}, whose accepting thread echoes
 * one message per client; prints {@code address=} and runs until its stdin ends. For a test that
 * watches the process from outside while it is attacked.
 */
public final class ListenerDriver {
    public static void main(String[] args) throws IOException {
        try (Listener listener = new Listener("127.0.0.1:0", args[0].getBytes(StandardCharsets.UTF_8))) {
            Thread echo = new Thread(() -> {
                while (true) {
                    Connection c;
                    try {
                        c = listener.accept();
                    } catch (AuthenticationError refused) {
                        continue;
                    } catch (IllegalStateException closed) {
                        return;
                    }
                    try (c) {
                        c.send(c.recv());
                    } catch (ProcessError | IllegalStateException gone) {
                        // the client left
                    }
                }
            }, "echo");
            echo.setDaemon(true);
            echo.start();
            System.out.println("address=" + listener.address());
            while (System.in.read() >= 0) {
                // until the test closes our stdin
            }
        }
    }
}
