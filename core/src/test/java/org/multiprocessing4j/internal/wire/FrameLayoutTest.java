package org.multiprocessing4j.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The frame header and the limits derived from it. */
class FrameLayoutTest {

    @Test
    void theHeaderIsALengthThenAKind() {
        assertThat(FrameLayout.LENGTH_OFFSET).isZero();
        assertThat(FrameLayout.KIND_OFFSET).as("the kind follows the int32 length").isEqualTo(4);
        assertThat(FrameLayout.HEADER_LENGTH).isEqualTo(FrameLayout.KIND_OFFSET + 1);
        assertThat(FrameLayout.RAW).isNotEqualTo(FrameLayout.OBJECT);
    }

    @Test
    void theMessageLimitLeavesTheHeadroomInsideTheLargestFrame() {
        assertThat(FrameLayout.MAX_PAYLOAD).isPositive();
        assertThat((long) FrameLayout.MAX_PAYLOAD + FrameLayout.HEADER_LENGTH).as("a whole frame's size fits an int")
                .isLessThanOrEqualTo(Integer.MAX_VALUE);
        assertThat(MessageLimit.DEFAULT + MessageLimit.HEADROOM).isEqualTo(FrameLayout.MAX_PAYLOAD);
        assertThat(MessageLimit.bytes()).isPositive().isLessThanOrEqualTo(MessageLimit.DEFAULT);
        assertThat(MessageLimit.frameBytes()).isEqualTo(MessageLimit.bytes() + MessageLimit.HEADROOM)
                .isLessThanOrEqualTo(FrameLayout.MAX_PAYLOAD);
    }
}
