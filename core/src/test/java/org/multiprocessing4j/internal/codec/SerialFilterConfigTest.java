package org.multiprocessing4j.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How {@code multiprocessing4j.serialFilter} is read: limits apart from class patterns, and what is invalid. */
class SerialFilterConfigTest {

    @Test
    void limitsReplaceTheDefaultsAndTheRestAreClassPatterns() {
        SerialFilter.Config c = SerialFilter.Config.parse(" maxdepth=2000; com.acme.** ;maxarray=10;!*");
        assertThat(c.invalid()).isNull();
        assertThat(c.maxDepth()).isEqualTo(2000);
        assertThat(c.maxArray()).isEqualTo(10);
        assertThat(c.maxRefs()).isEqualTo(SerialFilter.DEFAULT_MAX_REFS);
        assertThat(c.classes()).isNotNull();
    }

    @Test
    void noPropertyMeansTheDefaultLimitsAndNoClassPatterns() {
        SerialFilter.Config c = SerialFilter.Config.parse(null);
        assertThat(c.maxDepth()).isEqualTo(SerialFilter.DEFAULT_MAX_DEPTH);
        assertThat(c.maxArray()).isEqualTo(Long.MAX_VALUE);
        assertThat(c.classes()).isNull();
        assertThat(c.invalid()).isNull();
    }

    @Test
    void anInvalidPatternRejectsEverythingSayingWhy() {
        assertThat(SerialFilter.Config.parse("maxdepth=deep").invalid())
                .contains("multiprocessing4j.serialFilter=\"maxdepth=deep\" is not a valid filter");
        assertThat(SerialFilter.Config.parse("maxsize=3").invalid()).contains("unknown limit: maxsize=3");
        assertThat(SerialFilter.Config.parse("maxrefs=-1").invalid()).contains("not a limit");
        assertThat(SerialFilter.Config.parse("/com.acme.*").invalid()).contains("module name is missing");
    }
}
