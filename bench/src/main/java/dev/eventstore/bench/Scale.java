package dev.eventstore.bench;

import java.time.Duration;

/**
 * Sizes of a run.
 *
 * @param w1Pairs W1's alternated pairs of rounds ({@link AlternatedRounds}, an even number: blocks of both orders),
 *     {@code w1Appends} split evenly over them
 * @param w2Pairs W2's, {@code w2Events} split evenly over them
 * @param fixedRateRun the measured open loop at the fixed rate (after one unmeasured round of {@code latencyWarmUpRound})
 * @param coldStartPairs new JVMs of the cold-start rows, per target ({@link ColdStartRun})
 */
record Scale(int w1Appends, int w1Pairs, int w2Events, int w2Pairs, int w3Reads, int w4Attempts, int w5Events, Duration latencyRun,
             int latencyWarmUpRounds, Duration latencyWarmUpRound, Duration fixedRateRun, int coldStartPairs) {
    static final Scale FULL = new Scale(100_000, 4, 200_000, 4, 100, 2_000, 1_000_000, Duration.ofSeconds(20), 3, Duration.ofSeconds(15),
            Duration.ofSeconds(30), 4);
    static final Scale QUICK = new Scale(48_000, 6, 20_000, 2, 20, 500, 100_000, Duration.ofSeconds(4), 1, Duration.ofSeconds(2),
            Duration.ofSeconds(4), 2);
    /** The least that runs every workload's code: W1's two pairs keep both orders, W5 a catch-up of each reader. */
    static final Scale SMOKE = new Scale(4_000, 2, 4_000, 2, 3, 100, 20_000, Duration.ofSeconds(1), 1, Duration.ofSeconds(1),
            Duration.ofSeconds(1), 1);

    Scale withFixedRateRun(Duration fixedRateRun) {
        return new Scale(w1Appends, w1Pairs, w2Events, w2Pairs, w3Reads, w4Attempts, w5Events, latencyRun, latencyWarmUpRounds,
                latencyWarmUpRound, fixedRateRun, coldStartPairs);
    }
}
