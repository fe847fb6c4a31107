package dev.eventstore.bench;

import java.time.Duration;

/** Sizes of a run. */
record Scale(int w1Appends, int w2Events, int w3Reads, int w4Attempts, int w5Events, Duration latencyRun,
             int latencyWarmUpRounds, Duration latencyWarmUpRound) {
    static final Scale FULL = new Scale(100_000, 100_000, 100, 2_000, 1_000_000, Duration.ofSeconds(20), 3, Duration.ofSeconds(15));
    static final Scale QUICK = new Scale(50_000, 20_000, 20, 500, 100_000, Duration.ofSeconds(4), 1, Duration.ofSeconds(2));
}
