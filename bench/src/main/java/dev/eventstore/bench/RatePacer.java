package dev.eventstore.bench;

import java.time.Duration;

/**
 * The send schedule of an open loop: {@code perSecond} sends spread evenly from {@code startNanos}, each
 * at its own time whether or not earlier sends were answered (so a slow answer shows as latency, counted
 * from the scheduled time, instead of slowing the offered load: no coordinated omission).
 */
record RatePacer(double perSecond, long startNanos) {

    RatePacer {
        if (!(perSecond > 0) || Double.isInfinite(perSecond)) {
            throw new IllegalArgumentException("an open loop's rate must be a positive number of sends a second, not " + perSecond);
        }
    }

    /** How many sends a run of this length makes (whole sends: the last one is at or before its end). */
    int sends(Duration duration) {
        long count = (long) Math.floor(perSecond * duration.toNanos() / 1e9);
        if (count > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(perSecond + " sends a second for " + duration + " is more than one run holds");
        }
        return (int) count;
    }

    /** When the {@code i}-th send (from 0) is due, in {@link System#nanoTime()}'s terms. */
    long scheduledNanos(int i) {
        // From i, not by adding a rounded interval to the previous time: no drift however long the run.
        return startNanos + (long) (i * 1e9 / perSecond);
    }
}
