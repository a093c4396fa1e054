package org.multiprocessing4j.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** A start method is parsed once, from its Python name; an unknown name is refused with the allowed ones. */
class StartMethodParseTest {

    @Test
    void everyStartMethodParsesFromItsPythonNameAndTheDefaultComesFirst() {
        for (StartMethod m : StartMethod.values()) {
            assertThat(StartMethod.of(m.pythonName())).isSameAs(m);
        }
        assertThat(StartMethod.names()).containsExactly("spawn", "forkserver");
    }

    @Test
    void anUnknownNameIsAnIllegalArgumentNamingTheAllowedOnes() {
        assertThatThrownBy(() -> StartMethod.of("fork"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'fork'")
                .hasMessageContaining("[spawn, forkserver]");
        assertThatThrownBy(() -> StartMethod.of(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
