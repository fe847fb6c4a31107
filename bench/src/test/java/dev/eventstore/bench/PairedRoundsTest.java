package dev.eventstore.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** W1's alternated pairs: the median ratio, and when the pairs scatter too far for it to be told. */
class PairedRoundsTest {

    @Test
    void theRatioIsTheMedianOfThePairsRatiosNotTheRatioOfTotals() {
        PairedRounds rounds = rounds(pair(10_000, 10_000), pair(6_000, 12_000), pair(12_000, 10_000), pair(9_000, 10_000),
                pair(11_000, 10_000));

        assertThat(rounds.medianRatio()).isEqualTo(1.0);
        assertThat(rounds.medianStore()).isEqualTo(10_000);
        assertThat(rounds.medianBaseline()).isEqualTo(10_000);
    }

    @Test
    void oneOutlyingPairAtEitherEndIsOutvoted() {
        PairedRounds rounds = rounds(pair(10_000, 10_000), pair(3_000, 10_000), pair(11_000, 10_000), pair(9_500, 10_000),
                pair(30_000, 10_000));

        assertThat(rounds.disagreement()).isEmpty();
    }

    @Test
    void pairsThatScatterBeyondTheToleranceSayByHowMuch() {
        PairedRounds rounds = rounds(pair(10_000, 10_000), pair(6_000, 10_000), pair(14_000, 10_000), pair(9_000, 10_000),
                pair(13_000, 10_000));

        assertThat(rounds.disagreement()).hasValue("the alternated W1 rounds disagree: their ratios [0.60, 0.90, 1.00, 1.30, 1.40]"
                + " lie up to 30 % from their median 1.00 (told: within 25 %)");
    }

    @Test
    void withFewerThanThreePairsEveryPairMustAgree() {
        assertThat(rounds(pair(10_000, 10_000), pair(20_000, 10_000)).disagreement()).isPresent();
        assertThat(rounds(pair(10_000, 10_000), pair(11_000, 10_000)).disagreement()).isEmpty();
    }

    @Test
    void anEvenNumberOfPairsTakesTheMeanOfTheMiddleTwo() {
        assertThat(rounds(pair(8_000, 10_000), pair(9_000, 10_000), pair(10_000, 10_000), pair(12_000, 10_000)).medianRatio())
                .isCloseTo(0.95, org.assertj.core.data.Offset.offset(1e-9));
    }

    private static PairedRounds rounds(PairedRounds.Pair... pairs) {
        return new PairedRounds(List.of(pairs), 0.25);
    }

    private static PairedRounds.Pair pair(double store, double baseline) {
        return new PairedRounds.Pair(store, baseline);
    }
}
