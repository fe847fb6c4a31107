package dev.eventstore.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * W1 and W2 as alternated rounds: the store and the baseline in turn, in blocks of two pairs run in opposite orders
 * (store then baseline, baseline then store). On the shared box the second round of a pair ran faster than the
 * first whichever target it was (a quick run's pairs: 0.86, 1.14, 0.86, 1.16, 0.78, the store first in the odd
 * ones), so a block's ratio is the geometric mean of its two pairs' ratios, which cancels that order effect, and
 * the run's ratio is the median of the blocks'. A single W1 of each target, one after the other, put the ratio
 * between 0.64 and 1.38 in quick runs of one build (BENCHMARKS.md). A pure function of the rounds' rates.
 *
 * @param pairs in the order run, an even number of them
 * @param tolerance how far from the median ratio the blocks' ratios may lie for the ratio to be known
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
        if (pairs.isEmpty() || pairs.size() % 2 != 0 || !(tolerance > 0)) {
            throw new IllegalArgumentException("paired rounds need an even number of pairs (blocks of two orders) and a positive"
                    + " tolerance, not " + pairs.size() + " pairs and " + tolerance);
        }
    }

    /** Each block's ratio: the geometric mean of its two pairs' ratios. */
    double[] blockRatios() {
        return IntStream.range(0, pairs.size() / 2)
                .mapToDouble(block -> Math.sqrt(pairs.get(2 * block).ratio() * pairs.get(2 * block + 1).ratio()))
                .toArray();
    }

    /** The median of the blocks' ratios: the run's W1 ratio. */
    double medianRatio() {
        return Medians.of(blockRatios());
    }

    double medianStore() {
        return Medians.of(pairs.stream().mapToDouble(Pair::store).toArray());
    }

    double medianBaseline() {
        return Medians.of(pairs.stream().mapToDouble(Pair::baseline).toArray());
    }

    /**
     * Why the blocks do not tell the ratio within the tolerance, if they do not: every block's ratio must lie within
     * it of the median, except, from five blocks on, the lowest and the highest (one block caught in a burst of the
     * other work on the box is outvoted there; blocks that scatter are not).
     */
    Optional<String> disagreement(String workload) {
        double[] ratios = blockRatios();
        Arrays.sort(ratios);
        double median = Medians.of(ratios);
        double[] judged = ratios.length < 5 ? ratios : Arrays.copyOfRange(ratios, 1, ratios.length - 1);
        double worst = Arrays.stream(judged).map(ratio -> Math.abs(ratio / median - 1)).max().orElseThrow();
        if (worst <= tolerance) {
            return Optional.empty();
        }
        return Optional.of(String.format(
                "the alternated %s rounds disagree: their blocks' ratios %s lie up to %.0f %% from their median %.2f (told: within %.0f %%)",
                workload,
                Arrays.toString(Arrays.stream(ratios).mapToObj(ratio -> String.format("%.2f", ratio)).toArray()), worst * 100,
                median, tolerance * 100));
    }

}
