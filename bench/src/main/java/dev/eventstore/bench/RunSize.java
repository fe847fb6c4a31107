package dev.eventstore.bench;

/**
 * How big a run is: its workloads' sizes, how its targets warm up, and whether a run that could not warm up
 * still gives W1's ratio.
 *
 * @param catchUpRounds W5's measured rounds of each catch-up
 */
enum RunSize {
    /** The run whose figures BENCHMARKS.md quotes. */
    FULL(Scale.FULL, WarmUpRule.FULL, 3, WarmUpRule.CATCH_UP),
    /** {@code --quick}: a few minutes; no ratio when its warm-up does not settle. */
    QUICK(Scale.QUICK, WarmUpRule.QUICK, 1, WarmUpRule.CATCH_UP_QUICK),
    /**
     * {@code --smoke}: every workload at the least size that runs all its code (under a minute), for the test that
     * runs a whole bench; its figures measure the JIT compilers, so it never gives a ratio.
     */
    SMOKE(Scale.SMOKE, WarmUpRule.SMOKE, 1, WarmUpRule.CATCH_UP_QUICK);

    private final Scale scale;
    private final WarmUpRule warmUp;
    private final int catchUpRounds;
    private final WarmUpRule catchUpWarmUp;

    RunSize(Scale scale, WarmUpRule warmUp, int catchUpRounds, WarmUpRule catchUpWarmUp) {
        this.scale = scale;
        this.warmUp = warmUp;
        this.catchUpRounds = catchUpRounds;
        this.catchUpWarmUp = catchUpWarmUp;
    }

    Scale scale() {
        return scale;
    }

    WarmUpRule warmUp() {
        return warmUp;
    }

    int catchUpRounds() {
        return catchUpRounds;
    }

    WarmUpRule catchUpWarmUp() {
        return catchUpWarmUp;
    }

    /**
     * Whether a warm-up that gave up, or W1 blocks that scatter, withhold the ratio: a short run then measures the
     * compilers or the box, not the targets. A full run measures anyway, and its CPU rows say what the compilers took.
     */
    boolean withholdsUnsteadyRatio() {
        return this != FULL;
    }
}
