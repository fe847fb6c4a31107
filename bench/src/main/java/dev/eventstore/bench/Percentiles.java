package dev.eventstore.bench;

import java.util.Arrays;

/** Percentiles of a set of measurements (all kept: a run has at most a few hundred thousand). */
final class Percentiles {

    private final long[] sorted;

    Percentiles(long[] values) {
        this.sorted = values.clone();
        Arrays.sort(sorted);
    }

    /** The value at or below which {@code p} percent of the measurements lie (nearest rank). */
    long at(double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    int count() {
        return sorted.length;
    }
}
