package dev.eventstore.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class BoxSpeedTest {

    @Test
    void eachSectionGetsTheRunsFastestSampleOverItsMedianSample() throws Exception {
        try (BoxSpeed speed = BoxSpeed.start().orElseThrow()) {
            speed.enter("first");
            Thread.sleep(2_000);
            speed.enter("second");
            Thread.sleep(2_000);
            speed.enter("first"); // entered again: the slower of its two stretches counts
            Thread.sleep(1_200);
            Map<String, Double> speeds = speed.ofTheFastest();
            assertThat(speeds).containsOnlyKeys("first", "second");
            assertThat(speeds.values()).allSatisfy(value -> assertThat(value).isGreaterThan(0).isLessThanOrEqualTo(1));
        }
    }
}
