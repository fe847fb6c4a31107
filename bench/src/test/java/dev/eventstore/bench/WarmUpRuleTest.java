package dev.eventstore.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** When a warm-up may stop, and what it says when it gives up. */
class WarmUpRuleTest {

    private static final WarmUpRule QUICK = WarmUpRule.QUICK;

    @Test
    void twoRoundsRunningWithQuietCompilersAndAgreeingRatesSettleTheQuickRun() {
        assertThat(QUICK.judge(rounds(round(2_000, 0.45), round(8_000, 0.06), round(8_600, 0.04))))
                .isInstanceOf(WarmUpRule.Verdict.Settled.class);
    }

    @Test
    void quietCompilersDoNotSettleTheQuickRunWhileTheRateStillClimbs() {
        assertThat(QUICK.judge(rounds(round(2_000, 0.45), round(6_000, 0.06), round(8_000, 0.04))))
                .isInstanceOf(WarmUpRule.Verdict.Continue.class);
    }

    @Test
    void oneLoudRoundAmongTheLastTwoKeepsTheWarmUpGoing() {
        assertThat(QUICK.judge(rounds(round(8_000, 0.04), round(8_100, 0.20), round(8_050, 0.03))))
                .isInstanceOf(WarmUpRule.Verdict.Continue.class);
    }

    @Test
    void noRunSettlesBeforeItsMinimumOfRounds() {
        assertThat(QUICK.judge(rounds(round(8_000, 0.01), round(8_000, 0.01)))).isInstanceOf(WarmUpRule.Verdict.Continue.class);
        assertThat(QUICK.judge(List.of())).isInstanceOf(WarmUpRule.Verdict.Continue.class);
    }

    @Test
    void aQuickRunOutOfTimeWithTheCompilersStillBusyGivesUpAndSaysHowBusy() {
        WarmUpRule.Round busy = new WarmUpRule.Round(5_000, Optional.of(0.30), 61);
        WarmUpRule.Verdict verdict = QUICK.judge(List.of(busy, busy, busy));

        assertThat(verdict).isInstanceOfSatisfying(WarmUpRule.Verdict.GaveUp.class, gaveUp -> assertThat(gaveUp.why())
                .isEqualTo("not settled after 3 rounds in 183 s: the JIT compilers took up to 30 % of the CPU in the last 2 rounds"
                        + " (settled: under 10 %)"));
    }

    @Test
    void aQuickRunOutOfTimeWithUnsteadyRatesGivesUpAndSaysByHowMuch() {
        WarmUpRule.Verdict verdict = QUICK.judge(List.of(new WarmUpRule.Round(4_000, Optional.of(0.02), 90),
                new WarmUpRule.Round(6_000, Optional.of(0.02), 45), new WarmUpRule.Round(9_000, Optional.of(0.02), 45)));

        assertThat(verdict).isInstanceOfSatisfying(WarmUpRule.Verdict.GaveUp.class, gaveUp -> assertThat(gaveUp.why())
                .endsWith("the last 2 rounds' rates differ by 50 % (settled: within 15 %)"));
    }

    @Test
    void theFullRunLooksAtTheCompilersOnlyAndStopsAfterSixtyRounds() {
        assertThat(WarmUpRule.FULL.judge(rounds(round(2_000, 0.30), round(5_000, 0.04), round(9_000, 0.04))))
                .isInstanceOf(WarmUpRule.Verdict.Settled.class);
        WarmUpRule.Round loud = round(9_000, 0.08);
        assertThat(WarmUpRule.FULL.judge(Collections.nCopies(59, loud))).isInstanceOf(WarmUpRule.Verdict.Continue.class);
        assertThat(WarmUpRule.FULL.judge(Collections.nCopies(60, loud))).isInstanceOf(WarmUpRule.Verdict.GaveUp.class);
    }

    @Test
    void aRoundWhoseAppendsFailedNeverSettlesAndAGiveUpAfterItSaysSo() {
        WarmUpRule.Round steady = new WarmUpRule.Round(8_000, Optional.of(0.01), 1);
        assertThat(QUICK.judge(List.of(steady, steady, WarmUpRule.Round.failed(1)))).isInstanceOf(WarmUpRule.Verdict.Continue.class);

        WarmUpRule.Verdict verdict = QUICK.judge(List.of(steady, steady, WarmUpRule.Round.failed(180)));
        assertThat(verdict).isInstanceOfSatisfying(WarmUpRule.Verdict.GaveUp.class, gaveUp -> assertThat(gaveUp.why())
                .endsWith("appends failed in the last 2 rounds (not all answered in time)"));
    }

    @Test
    void withoutACompilerShareToReadTheRatesAloneDecide() {
        WarmUpRule.Round steady = new WarmUpRule.Round(8_000, Optional.empty(), 1);
        assertThat(QUICK.judge(List.of(steady, steady, steady))).isInstanceOf(WarmUpRule.Verdict.Settled.class);
    }

    @Test
    void aRuleThatCouldNeverSettleIsRefused() {
        assertThatThrownBy(() -> new WarmUpRule(0.05, 0.15, 3, 2, 10, 60)).isInstanceOf(IllegalArgumentException.class);
    }

    private static WarmUpRule.Round round(double rate, double jitShare) {
        return new WarmUpRule.Round(rate, Optional.of(jitShare), 2);
    }

    private static List<WarmUpRule.Round> rounds(WarmUpRule.Round... rounds) {
        return Arrays.asList(rounds);
    }
}
