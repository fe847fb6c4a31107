package dev.eventstore.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * W1, the headline: single-event appends with the exact expected version, one in flight per stream, as
 * alternated rounds of the store and the baseline (store first in odd pairs, baseline first in even ones,
 * so a drift of the box's other load over the run favours neither). The ratio is the median of the blocks' ratios
 * ({@link PairedRounds}); the rows give each target's median round and the CPU of all its rounds.
 */
final class W1Run {

    /** How far from the median the blocks' ratios may lie: issue 25's agreement of a quick run with a full one. */
    static final double TOLERANCE = 0.25;

    /** Each target's median round, appends per second. */
    record Rates(double store, double baseline) {}

    private final Workloads workloads;
    private final CpuMeter cpu;
    private final PrintStream out;

    W1Run(Workloads workloads, CpuMeter cpu, PrintStream out) {
        this.workloads = workloads;
        this.cpu = cpu;
        this.out = out;
    }

    /** @param withholdWhenScattered whether pairs that disagree withhold the run's ratio (a quick run) or only warn */
    Rates run(BenchReport report, StoreTarget store, PostgresBaseline baseline, int streams, Scale scale, boolean withholdWhenScattered)
            throws Exception {
        int perRound = scale.w1Appends() / scale.w1Pairs();
        out.printf("W1: %,d single-event appends, exact expected version, %,d streams, one in flight per stream, as %d alternated"
                + " pairs of rounds of %,d%n", scale.w1Appends(), streams, scale.w1Pairs(), perRound);
        List<PairedRounds.Pair> pairs = new ArrayList<>();
        Optional<StackCpu.Use> storeCpu = Optional.empty();
        Optional<StackCpu.Use> baseCpu = Optional.empty();
        long storeAppends = 0;
        long baseAppends = 0;
        for (int pair = 1; pair <= scale.w1Pairs(); pair++) {
            CpuMeter.Measured onStore;
            CpuMeter.Measured onBase;
            if (pair % 2 == 1) {
                onStore = round(store, "W1s" + pair + "-", streams, perRound);
                onBase = round(baseline, "W1b" + pair + "-", streams, perRound);
            } else {
                onBase = round(baseline, "W1b" + pair + "-", streams, perRound);
                onStore = round(store, "W1s" + pair + "-", streams, perRound);
            }
            PairedRounds.Pair measured = new PairedRounds.Pair(onStore.throughput().appendsPerSecond(),
                    onBase.throughput().appendsPerSecond());
            pairs.add(measured);
            out.printf("  pair %d: %,.0f and %,.0f appends/s, ratio %.2f%n", pair, measured.store(), measured.baseline(), measured.ratio());
            storeCpu = sum(storeCpu, onStore.cpu());
            baseCpu = sum(baseCpu, onBase.cpu());
            storeAppends += onStore.throughput().appends();
            baseAppends += onBase.throughput().appends();
        }
        PairedRounds rounds = new PairedRounds(pairs, TOLERANCE);
        report.add("W1", "single-event appends, median round", "appends/s", rounds.medianStore(), rounds.medianBaseline());
        report.add("W1", "median of the blocks' ratios", "ratio", rounds.medianRatio(), null);
        report.headlineRatio(rounds.medianRatio());
        Optional<StackCpu.Use> baseUse = baseCpu;
        long storeCount = storeAppends;
        long baseCount = baseAppends;
        storeCpu.ifPresent(use -> CpuRows.add(report, "W1", "per append", use, storeCount, baseUse, baseCount));
        rounds.disagreement().ifPresent(why -> {
            out.println("  " + why + (withholdWhenScattered ? "" : "; the ratio is their median all the same"));
            if (withholdWhenScattered) {
                report.withholdRatio(why);
            }
        });
        return new Rates(rounds.medianStore(), rounds.medianBaseline());
    }

    private CpuMeter.Measured round(BenchTarget target, String prefix, int streams, int appends) throws Exception {
        return cpu.measured(workloads, target, () -> workloads.appends(target, prefix, streams, appends, 1, streams));
    }

    private static Optional<StackCpu.Use> sum(Optional<StackCpu.Use> sum, Optional<StackCpu.Use> round) {
        return round.map(use -> sum.map(use::plus).orElse(use));
    }
}
