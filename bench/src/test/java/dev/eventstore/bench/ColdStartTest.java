package dev.eventstore.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ColdStartTest {

    @Test
    void theChildsLineCarriesItsTimesToTheBench() {
        ColdStart.Times times = new ColdStart.Times(180.4, 412.0, 95.3, 6.1);
        ColdStart.Times read = ColdStart.Times.parse(times.line());
        assertThat(read).isEqualTo(times);
        assertThat(read.toFirstAppendMs()).isCloseTo(180.4 + 412.0 + 95.3, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void aLineOfAnythingElseIsRefused() {
        assertThatThrownBy(() -> ColdStart.Times.parse("cold-start 1.0 2.0")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ColdStart.Times.parse("INFO cold-start 1 2 3 4")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theMedianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
        assertThat(Medians.of(new double[] {4, 1, 3, 2})).isEqualTo(2.5);
        assertThat(Medians.of(new double[] {5, 1, 3})).isEqualTo(3);
    }
}
