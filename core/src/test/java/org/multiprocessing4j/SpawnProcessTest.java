package org.multiprocessing4j;

/** The {@link Process} contract with {@code spawn}: a fresh JVM at each start. */
class SpawnProcessTest extends ProcessContractTest {
    @Override
    String method() {
        return "spawn";
    }
}
