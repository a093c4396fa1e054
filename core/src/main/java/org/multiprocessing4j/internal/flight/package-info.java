/**
 * The library's JDK Flight Recorder events ({@code jdk.jfr}, part of the JDK): what a recording, or
 * {@code jdk.jfr.consumer.RecordingStream}, shows of a running program's processes and pool tasks. Each
 * event costs a check of a flag while no recording asks for it (JFR's own rule), so they are always
 * compiled in. All are named {@code org.multiprocessing4j.*}, in the category "multiprocessing4j".
 *
 * <p>May import: nothing of the library (its events carry plain values).
 */
package org.multiprocessing4j.internal.flight;
