/**
 * The library's JDK Flight Recorder events ({@code jdk.jfr}, part of the JDK): what a recording, or
 * {@code jdk.jfr.consumer.RecordingStream}, shows of a running program's processes and pool tasks. They
 * are always compiled in, and cost nothing until the recorder is started: each site creates its event
 * only when {@link org.multiprocessing4j.internal.flight.Flight#recorderStarted()} says so, since the
 * first event class a JVM loads sets the recorder up. All are named {@code org.multiprocessing4j.*}, in
 * the category "multiprocessing4j".
 *
 * <p>May import: nothing of the library (its events carry plain values).
 */
package org.multiprocessing4j.internal.flight;
