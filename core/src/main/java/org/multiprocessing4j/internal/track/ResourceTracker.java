package org.multiprocessing4j.internal.track;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.multiprocessing4j.internal.shm.Segment;

/**
 * Unlinks the shared-memory segments this JVM created and nobody unlinked, when it exits, and reports
 * them once on stderr (CPython's {@code resource_tracker}).
 */
public final class ResourceTracker {
    private static final Set<String> SEGMENTS = ConcurrentHashMap.newKeySet();
    private static volatile boolean hooked;

    private ResourceTracker() {
    }

    /** Tracks a segment this process created. */
    public static void register(String name) {
        if (!hooked) {
            synchronized (ResourceTracker.class) {
                if (!hooked) {
                    Runtime.getRuntime().addShutdownHook(new Thread(ResourceTracker::cleanUp, "mp4j-resource-tracker"));
                    hooked = true;
                }
            }
        }
        SEGMENTS.add(name);
    }

    /** Stops tracking a segment (it was unlinked). */
    public static void unregister(String name) {
        SEGMENTS.remove(name);
    }

    private static void cleanUp() {
        List<String> leaked = new ArrayList<>();
        for (String name : SEGMENTS) {
            try {
                if (Files.deleteIfExists(Segment.DIR.resolve(name))) {
                    leaked.add(name);
                }
            } catch (IOException ignored) {
                // best effort at exit
            }
        }
        if (!leaked.isEmpty()) {
            System.err.println("multiprocessing4j resource tracker: " + leaked.size()
                    + " shared-memory segment(s) were not unlinked; unlinked them at shutdown: " + leaked);
        }
    }
}
