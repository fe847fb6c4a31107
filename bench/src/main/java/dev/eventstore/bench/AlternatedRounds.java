package dev.eventstore.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * W1 and W2: appends with the exact expected version, one in flight per stream, as alternated rounds of the store
 * and the baseline (store first in odd pairs, baseline first in even ones, so a drift of the box's other load over
 * the run favours neither). The ratio is the median of the blocks' ratios ({@link PairedRounds}); the rows give each
 * target's median round and the CPU of all its rounds. A workload run once per target measured the JIT compilers
 * with it when its path was new to them (W2's ten-event appends: 7.4 of the store's 33.3 µs per event on a quiet
 * box, 2026-12-05); here only the first pair pays for them and the median round does not.
 */
final class AlternatedRounds {

    /** How far from the median the blocks' ratios may lie: issue 25's agreement of a quick run with a full one. */
    static final double TOLERANCE = 0.25;

    /**
     * One workload's shape.
     *
     * @param name the report's workload, e.g. W1
     * @param appends over all rounds of each target, split evenly over the pairs
     * @param pairs an even number: blocks of both orders
     */
    record Shape(String name, String metric, int appends, int eventsPerAppend, int pairs) {
        boolean perEvent() {
            return eventsPerAppend > 1;
        }

        String unit() {
            return perEvent() ? "events" : "appends";
        }
    }

    private final Workloads workloads;
    private final CpuMeter cpu;
    private final PrintStream out;

    AlternatedRounds(Workloads workloads, CpuMeter cpu, PrintStream out) {
        this.workloads = workloads;
        this.cpu = cpu;
        this.out = out;
    }

    /**
     * Runs the rounds and adds the workload's rows: each target's median round (per event when an append carries
     * several), the median of the blocks' ratios and the CPU rows. Says so when the blocks disagree.
     */
    PairedRounds run(BenchReport report, Shape shape, StoreTarget store, PostgresBaseline baseline, int streams) throws Exception {
        int perRound = shape.appends() / shape.pairs();
        List<PairedRounds.Pair> pairs = new ArrayList<>();
        Optional<StackCpu.Use> storeCpu = Optional.empty();
        Optional<StackCpu.Use> baseCpu = Optional.empty();
        long storeUnits = 0;
        long baseUnits = 0;
        for (int pair = 1; pair <= shape.pairs(); pair++) {
            CpuMeter.Measured onStore;
            CpuMeter.Measured onBase;
            if (pair % 2 == 1) {
                onStore = round(store, shape, shape.name() + "s" + pair + "-", streams, perRound);
                onBase = round(baseline, shape, shape.name() + "b" + pair + "-", streams, perRound);
            } else {
                onBase = round(baseline, shape, shape.name() + "b" + pair + "-", streams, perRound);
                onStore = round(store, shape, shape.name() + "s" + pair + "-", streams, perRound);
            }
            PairedRounds.Pair measured = new PairedRounds.Pair(rate(onStore, shape), rate(onBase, shape));
            pairs.add(measured);
            out.printf("  pair %d: %,.0f and %,.0f %s/s, ratio %.2f%n", pair, measured.store(), measured.baseline(), shape.unit(),
                    measured.ratio());
            storeCpu = sum(storeCpu, onStore.cpu());
            baseCpu = sum(baseCpu, onBase.cpu());
            storeUnits += units(onStore, shape);
            baseUnits += units(onBase, shape);
        }
        PairedRounds rounds = new PairedRounds(pairs, TOLERANCE);
        report.add(shape.name(), shape.metric() + ", median round", shape.unit() + "/s", rounds.medianStore(), rounds.medianBaseline());
        report.add(shape.name(), "median of the blocks' ratios", "ratio", rounds.medianRatio(), null);
        Optional<StackCpu.Use> baseUse = baseCpu;
        long storeCount = storeUnits;
        long baseCount = baseUnits;
        String per = shape.perEvent() ? "per event" : "per append";
        storeCpu.ifPresent(use -> CpuRows.add(report, shape.name(), per, use, storeCount, baseUse, baseCount));
        return rounds;
    }

    private CpuMeter.Measured round(BenchTarget target, Shape shape, String prefix, int streams, int appends) throws Exception {
        return cpu.measured(workloads, target,
                () -> workloads.appends(target, prefix, streams, appends, shape.eventsPerAppend(), streams));
    }

    private static double rate(CpuMeter.Measured measured, Shape shape) {
        return shape.perEvent() ? measured.throughput().eventsPerSecond() : measured.throughput().appendsPerSecond();
    }

    private static long units(CpuMeter.Measured measured, Shape shape) {
        return shape.perEvent() ? measured.throughput().events() : measured.throughput().appends();
    }

    private static Optional<StackCpu.Use> sum(Optional<StackCpu.Use> sum, Optional<StackCpu.Use> round) {
        return round.map(use -> sum.map(use::plus).orElse(use));
    }
}
