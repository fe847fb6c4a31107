package dev.eventstore.bench;

import java.util.List;
import java.util.Optional;

/**
 * When a target's warm-up may stop: its last {@code inARow} rounds each had the JIT compilers under
 * {@code jitSettled} of the stack's CPU, and their rates agree within {@code rateTolerance} (the fastest
 * at most that fraction above the slowest); not before {@code minRounds}, and not past {@code maxRounds}
 * rounds or {@code budgetSeconds} of rounds. A pure function of the rounds so far.
 *
 * <p>A one-minute run measured the JIT compilers instead of the store (W1 ratio 0.74–0.96 against 3.5–3.75
 * in full runs: the compilers took half of the store's CPU per append), so the quick run waits for them
 * too, within its budget, and a run that has not settled by then is said to be so.
 */
record WarmUpRule(double jitSettled, double rateTolerance, int inARow, int minRounds, int maxRounds, double budgetSeconds) {

    /** The full run's rule since 2026-11-23: two rounds running under 5 %, at least 3 rounds, at most 60. */
    static final WarmUpRule FULL = new WarmUpRule(0.05, Double.POSITIVE_INFINITY, 2, 3, 60, Double.POSITIVE_INFINITY);
    /**
     * The quick run's: two rounds running under 10 % whose rates agree within 15 %, within three minutes.
     * Looser on the compilers than the full run's (which on this box often needs more than 60 rounds to
     * see 5 % twice, the share swinging with deoptimisations), so the rates' agreement is asked as well.
     */
    static final WarmUpRule QUICK = new WarmUpRule(0.10, 0.15, 2, 3, Integer.MAX_VALUE, 180);
    /** The smoke run's: one round, whatever the compilers do (the run gives no ratio). */
    static final WarmUpRule SMOKE = new WarmUpRule(0.10, Double.POSITIVE_INFINITY, 1, 1, 1, Double.POSITIVE_INFINITY);

    /**
     * W5's, in rounds of one catch-up per reader: two rounds in a row with the compilers under 15 %, at least three
     * rounds, at most eight (some 25 s). Measured on 2026-12-06: the compilers took 41 % of the CPU in the first two
     * rounds (the subscription's code; recompiles as the readers take turns), 17, 15 and 13 % in the next three, then
     * 10–12 % in every later one, while the subscription's first catch-ups ran at 0.55–0.65 of its later ones.
     */
    static final WarmUpRule CATCH_UP = new WarmUpRule(0.15, Double.POSITIVE_INFINITY, 2, 3, 8, Double.POSITIVE_INFINITY);
    /** The quick run's W5: one round, so the measured one is not the first; it is measured whatever the compilers do. */
    static final WarmUpRule CATCH_UP_QUICK = new WarmUpRule(0.10, Double.POSITIVE_INFINITY, 1, 1, 1, Double.POSITIVE_INFINITY);

    /**
     * One warm-up round.
     *
     * @param perSecond its rate: appends/s, or events/s in a catch-up
     * @param jitShare the JIT compilers' share of the stack's CPU; absent where {@code /proc} cannot be read
     */
    record Round(double perSecond, Optional<Double> jitShare, double seconds) {
        /** A round whose appends were not all answered: never a settled one. */
        static Round failed(double seconds) {
            return new Round(0, Optional.empty(), seconds);
        }
    }

    /** What the rounds so far say. */
    sealed interface Verdict {
        /** Warm: measure now. */
        record Settled() implements Verdict {}

        /** Another round. */
        record Continue() implements Verdict {}

        /** Out of rounds or time while still unsettled; {@code why} says what was still moving. */
        record GaveUp(String why) implements Verdict {}
    }

    WarmUpRule {
        if (!(jitSettled > 0 && rateTolerance >= 0 && inARow >= 1 && minRounds >= inARow && maxRounds >= minRounds && budgetSeconds > 0)) {
            throw new IllegalArgumentException("not a warm-up rule: " + this);
        }
    }

    Verdict judge(List<Round> rounds) {
        if (rounds.isEmpty()) {
            return new Verdict.Continue();
        }
        if (rounds.size() >= minRounds && settled(rounds.subList(rounds.size() - inARow, rounds.size()))) {
            return new Verdict.Settled();
        }
        double spent = rounds.stream().mapToDouble(Round::seconds).sum();
        if (rounds.size() >= maxRounds || spent >= budgetSeconds) {
            return new Verdict.GaveUp(String.format("not settled after %d rounds in %.0f s: %s", rounds.size(), spent,
                    unsettled(rounds.subList(Math.max(0, rounds.size() - inARow), rounds.size()))));
        }
        return new Verdict.Continue();
    }

    private boolean settled(List<Round> last) {
        return last.stream().allMatch(this::compilersQuiet) && spread(last) <= rateTolerance;
    }

    private boolean compilersQuiet(Round round) {
        return round.jitShare().map(share -> share < jitSettled).orElse(true);
    }

    /** How far the fastest of the rounds is above the slowest, as a fraction of the slowest. */
    private static double spread(List<Round> rounds) {
        double min = rounds.stream().mapToDouble(Round::perSecond).min().orElseThrow();
        double max = rounds.stream().mapToDouble(Round::perSecond).max().orElseThrow();
        return min <= 0 ? Double.POSITIVE_INFINITY : max / min - 1;
    }

    private String unsettled(List<Round> lastRounds) {
        if (lastRounds.stream().anyMatch(round -> round.perSecond() <= 0)) {
            return String.format("appends failed in the last %d rounds (not all answered in time)", lastRounds.size());
        }
        Optional<Double> loudest = lastRounds.stream().filter(round -> !compilersQuiet(round))
                .map(round -> round.jitShare().orElseThrow()).max(Double::compare);
        if (loudest.isPresent()) {
            return String.format("the JIT compilers took up to %.0f %% of the CPU in the last %d rounds (settled: under %.0f %%)",
                    loudest.get() * 100, lastRounds.size(), jitSettled * 100);
        }
        return String.format("the last %d rounds' rates differ by %.0f %% (settled: within %.0f %%)", lastRounds.size(),
                spread(lastRounds) * 100, rateTolerance * 100);
    }
}
