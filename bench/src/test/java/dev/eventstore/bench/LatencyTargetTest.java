package dev.eventstore.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Issue 25's latency target holds only when both bounds hold in the same run. */
class LatencyTargetTest {

    private static final LatencyTarget TARGET = LatencyTarget.ISSUE_25;

    @Test
    void bothWithinTheirBoundsHold() {
        assertThat(TARGET.heldBy(50, 250)).isTrue();
        assertThat(TARGET.heldBy(31.5, 80)).isTrue();
    }

    @Test
    void aFastAppendTailWithASlowIndexDoesNotHold() {
        assertThat(TARGET.heldBy(40, 251)).isFalse();
    }

    @Test
    void aFastIndexWithASlowAppendTailDoesNotHold() {
        assertThat(TARGET.heldBy(50.1, 100)).isFalse();
    }
}
