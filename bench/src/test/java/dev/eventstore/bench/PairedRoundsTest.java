package dev.eventstore.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.util.List;
import org.junit.jupiter.api.Test;

/** W1's alternated pairs: blocks that cancel the order, the median ratio, and when the blocks scatter too far. */
class PairedRoundsTest {

    @Test
    void theSecondRoundOfEachPairRunningFasterCancelsOutWithinABlock() {
        // Quick run 4 of 2026-12-03 (the store first in the odd pairs): the pairs alone scatter 0.78-1.16.
        PairedRounds rounds = rounds(pair(9_532, 11_147), pair(12_136, 10_654), pair(8_627, 10_049), pair(9_060, 7_807));

        assertThat(rounds.blockRatios()).containsExactly(new double[] {0.987, 0.998}, offset(0.001));
        assertThat(rounds.medianRatio()).isCloseTo(0.993, offset(0.001));
        assertThat(rounds.disagreement("W1")).isEmpty();
    }

    @Test
    void theMedianRoundsOfEachTargetAreTheirRows() {
        PairedRounds rounds = rounds(pair(10_000, 9_000), pair(6_000, 12_000), pair(12_000, 10_000), pair(9_000, 11_000));

        assertThat(rounds.medianStore()).isEqualTo(9_500);
        assertThat(rounds.medianBaseline()).isEqualTo(10_500);
    }

    @Test
    void blocksThatScatterBeyondTheToleranceSayByHowMuch() {
        PairedRounds rounds = rounds(pair(10_000, 10_000), pair(10_000, 10_000), pair(20_000, 10_000), pair(20_000, 10_000),
                pair(10_000, 10_000), pair(10_000, 10_000));

        assertThat(rounds.disagreement("W1")).hasValue("the alternated W1 rounds disagree: their blocks' ratios [1.00, 1.00, 2.00]"
                + " lie up to 100 % from their median 1.00 (told: within 25 %)");
    }

    @Test
    void fromFiveBlocksOnOneOutlyingBlockAtEitherEndIsOutvoted() {
        PairedRounds rounds = rounds(pair(10_000, 10_000), pair(10_000, 10_000), pair(3_000, 10_000), pair(3_000, 10_000),
                pair(11_000, 10_000), pair(11_000, 10_000), pair(9_500, 10_000), pair(9_500, 10_000), pair(30_000, 10_000),
                pair(30_000, 10_000));

        assertThat(rounds.medianRatio()).isEqualTo(1.0);
        assertThat(rounds.disagreement("W1")).isEmpty();
    }

    @Test
    void anOddNumberOfPairsIsNoBlockAndIsRefused() {
        assertThatThrownBy(() -> rounds(pair(1, 1), pair(1, 1), pair(1, 1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("an even number of pairs");
    }

    private static PairedRounds rounds(PairedRounds.Pair... pairs) {
        return new PairedRounds(List.of(pairs), 0.25);
    }

    private static PairedRounds.Pair pair(double store, double baseline) {
        return new PairedRounds.Pair(store, baseline);
    }
}
