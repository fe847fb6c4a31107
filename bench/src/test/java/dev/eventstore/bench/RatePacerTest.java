package dev.eventstore.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The open loop's send schedule: evenly spaced, whole sends, no drift. */
class RatePacerTest {

    @Test
    void fiveThousandASecondForThirtySecondsMakes150000SendsTwoHundredMicrosecondsApart() {
        RatePacer pacer = new RatePacer(5_000, 1_000);

        assertThat(pacer.sends(Duration.ofSeconds(30))).isEqualTo(150_000);
        assertThat(pacer.scheduledNanos(0)).isEqualTo(1_000);
        assertThat(pacer.scheduledNanos(1)).isEqualTo(201_000);
        assertThat(pacer.scheduledNanos(5_000)).isEqualTo(1_000_001_000L);
    }

    @Test
    void aRateWhoseIntervalIsNotWholeNanosecondsDoesNotDriftOverALongRun() {
        RatePacer pacer = new RatePacer(3_000, 0);

        // 333,333.33 ns apart: adding a rounded interval would be 1 ms early after 3 million sends.
        assertThat(pacer.scheduledNanos(3_000_000)).isEqualTo(1_000_000_000_000L);
        assertThat(pacer.scheduledNanos(1)).isEqualTo(333_333);
    }

    @Test
    void aRunTooShortForOneIntervalStillMakesItsFirstSendOnlyWhenWhole() {
        assertThat(new RatePacer(2, 0).sends(Duration.ofMillis(499))).isZero();
        assertThat(new RatePacer(2, 0).sends(Duration.ofMillis(500))).isEqualTo(1);
    }

    @Test
    void aRateThatIsNotPositiveIsRefused() {
        assertThatThrownBy(() -> new RatePacer(0, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not 0.0");
        assertThatThrownBy(() -> new RatePacer(Double.NaN, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
