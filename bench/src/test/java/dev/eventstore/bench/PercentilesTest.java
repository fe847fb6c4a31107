package dev.eventstore.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PercentilesTest {

    @Test
    void nearestRankOverUnsortedValues() {
        long[] values = new long[100];
        for (int i = 0; i < 100; i++) {
            values[i] = 100 - i; // 100 .. 1
        }
        Percentiles p = new Percentiles(values);
        assertThat(p.at(50)).isEqualTo(50);
        assertThat(p.at(99)).isEqualTo(99);
        assertThat(p.at(100)).isEqualTo(100);
        assertThat(p.at(0)).isEqualTo(1);
        assertThat(new Percentiles(new long[] {7}).at(99)).isEqualTo(7);
        assertThat(new Percentiles(new long[0]).at(50)).isZero();
    }
}
