package org.multiprocessing4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ManagerTest {

    @Test
    void aDictAndAListAreSharedWithAChild() {
        try (Manager m = Manager.start()) {
            Map<String, Integer> d = m.dict();
            List<String> l = m.list();
            d.put("a", 1);
            Process p = new Process(() -> {
                d.put("b", d.get("a") + 1);
                l.add("from child");
            });
            p.start();
            p.join();
            assertThat(p.exitCode()).isZero();
            assertThat(d).containsEntry("b", 2);
            assertThat(l).containsExactly("from child");
            assertThat(d.toString()).isEqualTo("{a=1, b=2}");
        }
    }
}
