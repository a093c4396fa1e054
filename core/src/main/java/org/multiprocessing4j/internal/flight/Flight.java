package org.multiprocessing4j.internal.flight;

import jdk.jfr.FlightRecorder;

/**
 * Whether this JVM may record the library's events: only once the JDK's Flight Recorder is initialized
 * (a recording started with {@code -XX:StartFlightRecording}, {@code jcmd PID JFR.start}, or the
 * {@code jdk.jfr} API, a {@code RecordingStream} included). Until then no recording can take an event,
 * and no event class is loaded: loading the first subclass of {@code jdk.jfr.Event} initializes the
 * recorder's Java side, some 150 to 200 ms of a new JVM's CPU, which every child would pay at its start.
 *
 * <p>Each event site creates its event only when {@link #recorderStarted()} says so.
 */
public final class Flight {
    private Flight() {
    }

    /** Whether the Flight Recorder is initialized in this JVM (a flag read; it never initializes it). */
    public static boolean recorderStarted() {
        return FlightRecorder.isInitialized();
    }
}
