/**
 * The Python programs of the documentation's seed posts, ported line by line to
 * {@link org.multiprocessing4j.Process}, one class each, plus the {@link org.multiprocessing4j.examples.Tour}
 * that runs them one after the other.
 *
 * <p>Each example has a {@code main} and prints what its Python original prints, with real pids.
 * Python's {@code args=(...)} become variables captured by the target lambda. Run one with
 * {@code java -cp multiprocessing4j-examples.jar org.multiprocessing4j.examples.Doubler}, or all with
 * {@code java -jar multiprocessing4j-examples.jar}.
 */
package org.multiprocessing4j.examples;
