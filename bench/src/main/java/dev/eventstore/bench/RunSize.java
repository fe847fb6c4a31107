package dev.eventstore.bench;

import java.util.Optional;

/**
 * How big a run is: its workloads' sizes, how its targets warm up, and when it gives W1's ratio.
 *
 * @param name as the results' setup gives it
 * @param catchUpRounds W5's measured rounds of each catch-up
 * @param withholdsUnsteadyRatio whether a warm-up that gave up, or W1 blocks that scatter, withhold the ratio: a short
 *     run then measures the compilers or the box, not the targets. A full run measures anyway, and its CPU rows say
 *     what the compilers took
 * @param noRatio why the run gives no ratio whatever it measures, if it never does
 */
record RunSize(String name, Scale scale, WarmUpRule warmUp, int catchUpRounds, WarmUpRule catchUpWarmUp,
               boolean withholdsUnsteadyRatio, Optional<String> noRatio) {

    /** The run whose figures BENCHMARKS.md quotes. */
    static final RunSize FULL = new RunSize("full", Scale.FULL, WarmUpRule.FULL, 3, WarmUpRule.CATCH_UP, false, Optional.empty());
    /** {@code --quick}: a few minutes; no ratio when its warm-up does not settle. */
    static final RunSize QUICK = new RunSize("quick", Scale.QUICK, WarmUpRule.QUICK, 1, WarmUpRule.CATCH_UP_QUICK, true,
            Optional.empty());
    /**
     * {@code --smoke}: every workload at the least size that runs all its code (under a minute), for the test that
     * runs a whole bench; its figures measure the JIT compilers, so it never gives a ratio.
     */
    static final RunSize SMOKE = new RunSize("smoke", Scale.SMOKE, WarmUpRule.SMOKE, 1, WarmUpRule.CATCH_UP_QUICK, true,
            Optional.of("a smoke run runs every workload's code at sizes that measure the JIT compilers, not the targets"));
}
