package dev.eventstore.bench;

import java.util.Arrays;
import java.util.Collection;
import java.util.function.ToDoubleFunction;

/** The median of a few measurements: the middle one, or the mean of the middle two. */
final class Medians {

    private Medians() {}

    static double of(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    static <T> double of(Collection<T> measured, ToDoubleFunction<T> figure) {
        return of(measured.stream().mapToDouble(figure).toArray());
    }
}
