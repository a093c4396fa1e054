package org.multiprocessing4j.internal.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which options of the user's leave a child's collector and heap to them. */
class HeapFlagsTest {

    @Test
    void theDefaultsUnlessTheUserChoseACollectorOrAHeapSize() {
        assertThat(JavaCommand.heapFlags("", Map.of())).containsExactly("-XX:+UseSerialGC", "-Xmn16m");
        assertThat(JavaCommand.heapFlags("-ea -Dx=1 -XX:+UseCompressedOops -XX:+UseStringDeduplication", Map.of()))
                .containsExactly("-XX:+UseSerialGC", "-Xmn16m");
        for (String chosen : new String[] {"-XX:+UseZGC", "-XX:-UseSerialGC", "-XX:+UseG1GC", "-Xmx2g", "-Xms64m",
            "-Xmn8m", "-XX:MaxRAMPercentage=50", "-XX:MaxNewSize=64m", "-XX:NewSize=8m", "-XX:MaxHeapSize=1g",
            "-XX:NewRatio=3", "-XX:MaxRAM=4g"}) {
            assertThat(JavaCommand.heapFlags("-ea " + chosen, Map.of())).as(chosen).isEmpty();
            assertThat(JavaCommand.heapFlags(null, Map.of("JAVA_TOOL_OPTIONS", chosen))).as(chosen).isEmpty();
        }
        assertThat(JavaCommand.heapFlags("", Map.of("_JAVA_OPTIONS", "-Xmx1g"))).isEmpty();
        assertThat(JavaCommand.heapFlags("", Map.of("JDK_JAVA_OPTIONS", "  -XX:+UseParallelGC "))).isEmpty();
    }
}
