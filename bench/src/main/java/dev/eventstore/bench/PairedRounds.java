package dev.eventstore.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * W1 as alternated rounds: the store and the baseline in turn, each pair's ratio taken from two rounds run
 * back to back, so that a change in the other work on a shared box between rounds moves both targets of a
 * pair alike. A single W1 of each, one after the other, put the ratio between 0.64 and 1.38 in quick runs of
 * one build (BENCHMARKS.md). A pure function of the rounds' rates.
 *
 * @param tolerance how far from the median ratio the middle pairs' ratios may lie for the ratio to be known
 */
record PairedRounds(List<Pair> pairs, double tolerance) {

    /** One store round and one baseline round, run back to back: appends per second of each. */
    record Pair(double store, double baseline) {
        double ratio() {
            return store / baseline;
        }
    }

    PairedRounds {
        pairs = List.copyOf(pairs);
        if (pairs.isEmpty() || !(tolerance > 0)) {
            throw new IllegalArgumentException("paired rounds need at least one pair and a positive tolerance");
        }
    }

    /** The median of the pairs' ratios: the run's W1 ratio. */
    double medianRatio() {
        return median(pairs.stream().mapToDouble(Pair::ratio).toArray());
    }

    double medianStore() {
        return median(pairs.stream().mapToDouble(Pair::store).toArray());
    }

    double medianBaseline() {
        return median(pairs.stream().mapToDouble(Pair::baseline).toArray());
    }

    /**
     * Why the pairs do not tell the ratio within the tolerance, if they do not: all pairs but the lowest and
     * the highest ratio (all of them, under three pairs) must lie within it of the median. One pair caught
     * in a burst of the other work on the box is outvoted; pairs that scatter are not.
     */
    Optional<String> disagreement() {
        double[] ratios = pairs.stream().mapToDouble(Pair::ratio).sorted().toArray();
        double median = median(ratios);
        double[] middle = ratios.length < 3 ? ratios : Arrays.copyOfRange(ratios, 1, ratios.length - 1);
        double worst = Arrays.stream(middle).map(ratio -> Math.abs(ratio / median - 1)).max().orElseThrow();
        if (worst <= tolerance) {
            return Optional.empty();
        }
        return Optional.of(String.format(
                "the alternated W1 rounds disagree: their ratios %s lie up to %.0f %% from their median %.2f (told: within %.0f %%)",
                Arrays.toString(Arrays.stream(ratios).mapToObj(ratio -> String.format("%.2f", ratio)).toArray()), worst * 100,
                median, tolerance * 100));
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
