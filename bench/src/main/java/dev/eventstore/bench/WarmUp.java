package dev.eventstore.bench;

import java.io.PrintStream;
import java.util.Optional;

/**
 * Rounds of single-event appends, not measured, until the JIT compilers of the stack's JVMs take under
 * {@link #JIT_SETTLED} of its CPU in two rounds running (at least three rounds; one with {@code --quick}).
 * A fixed 30,000 appends, as before, left the three JVMs compiling through W1: the compilers took half of
 * the stack's CPU for the first 100,000–200,000 appends on this box, a cost a store that runs for days
 * does not pay. The table shows what the compilers still took during each measured workload.
 */
final class WarmUp {

    /** The share of the stack's CPU below which the warm-up deems the JIT compilers settled. */
    private static final double JIT_SETTLED = 0.05;

    private final Workloads workloads;
    private final CpuMeter cpu;
    private final PrintStream out;
    private final boolean quick;

    WarmUp(Workloads workloads, CpuMeter cpu, PrintStream out, boolean quick) {
        this.workloads = workloads;
        this.cpu = cpu;
        this.out = out;
        this.quick = quick;
    }

    void run(BenchTarget target, int streams) throws Exception {
        int appends = quick ? 5_000 : 10_000;
        int minRounds = quick ? 1 : 3;
        int maxRounds = quick ? 1 : 60;
        int settledRounds = 0;
        for (int round = 1; round <= maxRounds; round++) {
            String prefix = "Wu" + round + "-";
            CpuMeter.Measured warm = cpu.measured(workloads, target, () -> workloads.appends(target, prefix, streams, appends, 1, streams));
            Optional<Double> jitShare = warm.cpu().map(use -> use.jitSeconds() / use.total());
            out.printf("  %s, round %d: %,.0f appends/s%s%n", target.name(), round, warm.throughput().appendsPerSecond(),
                    jitShare.map(share -> String.format(", JIT compilers %.1f %% of the CPU", share * 100)).orElse(""));
            settledRounds = jitShare.orElse(0.0) < JIT_SETTLED ? settledRounds + 1 : 0;
            if (round >= minRounds && settledRounds >= 2) {
                return;
            }
        }
        if (!quick) {
            out.printf("  %s: the JIT compilers had not settled after %d rounds; measuring anyway%n", target.name(), maxRounds);
        }
    }
}
