package dev.eventstore.bench;

import dev.eventstore.local.LocalStack;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * The latency workload: an open loop at a fraction of each target's W1 rate, after unmeasured rounds at
 * the same rate, then one at a fixed rate (issue 25: 5,000 appends/s); the store's runs also probe the index
 * lag and split each append's latency.
 */
final class LatencyRun {

    /** How long the stack's idle CPU is sampled for. */
    private static final Duration IDLE_SAMPLE = Duration.ofSeconds(5);

    /** An open-loop run's latencies and, where probed, the index lag and latency split of the appends it acknowledged. */
    private record OpenLoopRun(Workloads.Latency latency, Optional<IndexLagProbe.Lags> lags, Optional<StackCpu.Use> cpu,
                               double seconds) {
        /** The stack's CPU in cores: CPU seconds per second of the run. */
        Optional<Double> cores() {
            return cpu.map(use -> use.total() / seconds);
        }
    }

    private final Workloads workloads;
    private final CpuMeter cpu;
    private final PrintStream out;
    private final String indexSchema;
    private final double latencyAt;
    private final Optional<Path> latencyTrace;

    /**
     * @param latencyAt the offered rate as a fraction of each target's W1 rate
     * @param latencyTrace where to write the store's measured appends (see {@link IndexLagProbe#writeTrace})
     */
    LatencyRun(Workloads workloads, CpuMeter cpu, PrintStream out, String indexSchema, double latencyAt, Optional<Path> latencyTrace) {
        this.workloads = workloads;
        this.cpu = cpu;
        this.out = out;
        this.indexSchema = indexSchema;
        this.latencyAt = latencyAt;
        this.latencyTrace = latencyTrace;
    }

    /**
     * The row at a fraction of each target's W1 rate, then the row at the fixed rate (when {@code fixedRate} is
     * positive) with its verdict against {@link LatencyTarget#ISSUE_25}.
     */
    void run(Scale scale, BenchReport report, LocalStack stack, StoreTarget store, PostgresBaseline baseline, double storeRate,
             double baseRate, double fixedRate) throws Exception {
        out.printf("Latency: open loop at %s of W1's rate, exact expected versions (%,.0f and %,.0f appends/s) for %d s,"
                + " after %d unmeasured rounds of %d s%n", latencyAt == 0.5 ? "half" : latencyAt, storeRate, baseRate,
                scale.latencyRun().toSeconds(),
                scale.latencyWarmUpRounds(), scale.latencyWarmUpRound().toSeconds());
        cpu.idleCores(IDLE_SAMPLE).ifPresent(cores -> report.add("latency", "CPU of the idle stack, all processes", "cores", cores, null));
        String rate = latencyAt == 0.5 ? "half max rate" : String.format(Locale.ROOT, "%.2f of max rate", latencyAt);
        measure(report, stack, store, baseline, storeRate, baseRate, rate, scale.latencyWarmUpRounds(), scale, scale.latencyRun());
        if (fixedRate > 0) {
            // After the rows above both targets are warm in an open loop: one unmeasured round settles the new rate.
            out.printf("Latency: open loop at a fixed %,.0f appends/s on both targets for %d s, after 1 unmeasured round of %d s%n",
                    fixedRate, scale.fixedRateRun().toSeconds(), scale.latencyWarmUpRound().toSeconds());
            Measured fixed = measure(report, stack, store, baseline, fixedRate, fixedRate,
                    String.format(Locale.ROOT, "%,.0f appends/s", fixedRate), 1, scale, scale.fixedRateRun());
            boolean held = fixed.heldBy(LatencyTarget.ISSUE_25);
            report.add("latency", String.format(Locale.ROOT, "p99 ≤ %.0f ms and lag p99 ≤ %.0f ms at %,.0f appends/s",
                    LatencyTarget.ISSUE_25.appendP99Millis(), LatencyTarget.ISSUE_25.lagP99Millis(), fixedRate), "1 = yes", held ? 1 : 0, null);
        }
    }

    /** The store's append p99 and index lag p99 of one measured row, in ms. */
    private record Measured(double appendP99, double lagP99) {
        boolean heldBy(LatencyTarget target) {
            return target.heldBy(appendP99, lagP99);
        }
    }

    private Measured measure(BenchReport report, LocalStack stack, StoreTarget store, PostgresBaseline baseline, double storeRate,
                             double baseRate, String rate, int warmUpRounds, Scale scale, Duration duration) throws Exception {
        QuietDatabase database = new QuietDatabase(stack);
        OpenLoopRun storeRun = openLoopAfterWarmUp(store, "Ls", storeRate, warmUpRounds, scale.latencyWarmUpRound(), duration,
                database, Optional.of(stack));
        OpenLoopRun baseRun = openLoopAfterWarmUp(baseline, "Lb", baseRate, warmUpRounds, scale.latencyWarmUpRound(), duration,
                database, Optional.empty());
        Workloads.Latency storeLatency = storeRun.latency();
        Workloads.Latency baseLatency = baseRun.latency();
        IndexLagProbe.Lags lags = storeRun.lags().orElseThrow();
        report.add("latency", "append p50 at " + rate, "ms", storeLatency.nanos().at(50) / 1e6, baseLatency.nanos().at(50) / 1e6);
        report.add("latency", "append p99 at " + rate, "ms", storeLatency.nanos().at(99) / 1e6, baseLatency.nanos().at(99) / 1e6);
        report.add("latency", "appends refused or failed at " + rate, "appends", storeLatency.failed(), (double) baseLatency.failed());
        storeRun.cores().ifPresent(cores -> report.add("latency", "CPU in use at " + rate + ", all processes", "cores", cores,
                baseRun.cores().orElse(null)));
        storeRun.cpu().ifPresent(use -> CpuRows.add(report, "latency", "per append at " + rate, use, storeLatency.nanos().count(),
                baseRun.cpu(), baseLatency.nanos().count()));
        report.add("latency", "  request to decided by the gate p50", "ms", lags.toDecided().at(50) / 1e6, null);
        report.add("latency", "  request to decided by the gate p99", "ms", lags.toDecided().at(99) / 1e6, null);
        report.add("latency", "  decided to acknowledged p50", "ms", lags.decidedToAck().at(50) / 1e6, null);
        report.add("latency", "  decided to acknowledged p99", "ms", lags.decidedToAck().at(99) / 1e6, null);
        report.add("lag", "ack to visible in PostgreSQL p50 at " + rate, "ms", lags.lag().at(50) / 1e6, null);
        report.add("lag", "ack to visible in PostgreSQL p99 at " + rate, "ms", lags.lag().at(99) / 1e6, null);
        return new Measured(storeLatency.nanos().at(99) / 1e6, lags.lag().at(99) / 1e6);
    }

    /**
     * The latency run, after unmeasured open-loop rounds at the same rate (printed). The first open loop
     * after the closed loops tends to be slower than those that follow it: in rounds of 15 s at 6,000
     * appends/s after 250,000–450,000 closed-loop appends, the first round's index lag p99 was 2–40 times
     * the third's in ten runs of ten, its append p99 1.1–6.0 times in nine (BENCHMARKS.md). The measured
     * figures are those of the steady state, as W1's are of JIT-compiled code. Before the rounds the database is
     * vacuumed and analyzed ({@link QuietDatabase}), and the warm-up settles the load again after it.
     *
     * @param lagOf the stack whose index the store's run probes for the index lag; empty for the baseline
     */
    private OpenLoopRun openLoopAfterWarmUp(BenchTarget target, String prefix, double rate, int warmUpRounds, Duration warmUpRound,
                                            Duration duration, QuietDatabase database, Optional<LocalStack> lagOf)
            throws Exception {
        // Stream names carry the rate: each row's streams start from version 0 with exact expected versions.
        prefix = prefix + Math.round(rate);
        // Each row starts with the index caught up: at half of W1's rate the index fell seconds behind on a busy box
        // (lag p50 5.4 s), and the fixed-rate row that followed measured that backlog (lag p50 3.2 s), not its own rate.
        target.settle(workloads.appendedEvents(target));
        Duration vacuum = database.vacuumAndAnalyze();
        out.printf("  %s, database vacuumed and analyzed before the rounds: %.1f s%n", target.name(), vacuum.toMillis() / 1e3);
        for (int round = 1; round <= warmUpRounds; round++) {
            OpenLoopRun warm = openLoop(target, prefix + "w" + round + "-", rate, warmUpRound, lagOf, Optional.empty());
            out.printf("  %s, open-loop warm-up round %d: p50 %.1f ms, p99 %.1f ms%s%s%n", target.name(), round,
                    warm.latency().nanos().at(50) / 1e6, warm.latency().nanos().at(99) / 1e6,
                    warm.cores().map(cores -> String.format(", %.2f cores busy", cores)).orElse(""),
                    warm.lags().map(lags -> String.format(" (to decided %.1f ms, decided to acknowledged %.1f ms), index lag p99 %.1f ms",
                            lags.toDecided().at(99) / 1e6, lags.decidedToAck().at(99) / 1e6, lags.lag().at(99) / 1e6)).orElse(""));
        }
        return openLoop(target, prefix + "-", rate, duration, lagOf, latencyTrace);
    }

    /** @param trace where to write the probed appends' times (see {@link IndexLagProbe#writeTrace}) */
    private OpenLoopRun openLoop(BenchTarget target, String prefix, double rate, Duration duration, Optional<LocalStack> lagOf,
                                 Optional<Path> trace) throws Exception {
        Optional<StackCpu.Use> before = cpu.now();
        long start = System.nanoTime();
        if (lagOf.isEmpty()) {
            Workloads.Latency latency = workloads.openLoop(target, prefix, 10_000, rate, duration, null);
            return new OpenLoopRun(latency, Optional.empty(), cpu.usedSince(before), (System.nanoTime() - start) / 1e9);
        }
        LocalStack stack = lagOf.get();
        try (IndexLagProbe probe = new IndexLagProbe(stack.jdbcUrl(), stack.jdbcUser(), stack.jdbcPassword(), indexSchema)) {
            Workloads.Latency latency = workloads.openLoop(target, prefix, 10_000, rate, duration, probe);
            Optional<StackCpu.Use> used = cpu.usedSince(before);
            double seconds = (System.nanoTime() - start) / 1e9;
            IndexLagProbe.Lags lags = probe.lags(Duration.ofMinutes(2));
            if (trace.isPresent()) {
                probe.writeTrace(trace.get());
                out.println("  latency trace: " + trace.get().toAbsolutePath());
            }
            return new OpenLoopRun(latency, Optional.of(lags), used, seconds);
        }
    }
}
