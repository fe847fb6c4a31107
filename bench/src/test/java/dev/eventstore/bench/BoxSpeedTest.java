package dev.eventstore.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class BoxSpeedTest {

    @Test
    void eachSectionGetsTheMedianTimeOfTheWorkSampledWithinIt() throws Exception {
        try (BoxSpeed speed = BoxSpeed.start().orElseThrow()) {
            speed.enter("first");
            Thread.sleep(2_000);
            speed.enter("second");
            Thread.sleep(2_000);
            speed.enter("first"); // entered again: the slower of its two stretches counts
            Thread.sleep(1_200);
            Map<String, Double> millis = speed.medianMillis();
            assertThat(millis).containsOnlyKeys("first", "second");
            // A million steps of arithmetic: well under a second on any machine, and no core does them in a microsecond.
            assertThat(millis.values()).allSatisfy(value -> assertThat(value).isBetween(0.05, 500.0));
        }
    }
}
