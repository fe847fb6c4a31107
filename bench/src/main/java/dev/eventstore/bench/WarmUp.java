package dev.eventstore.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Rounds of 10,000 single-event appends, not measured, until the target is warm by its {@link WarmUpRule}:
 * the JIT compilers of the stack's JVMs quiet (and, in a quick run, the rates steady). A fixed 30,000
 * appends, as once, left the three JVMs compiling through W1: the compilers took half of the stack's CPU
 * for the first 100,000–200,000 appends on this box, a cost a store that runs for days does not pay. The
 * table shows what the compilers still took during each measured workload.
 */
final class WarmUp {

    private static final int ROUND_APPENDS = 10_000;

    private final Workloads workloads;
    private final CpuMeter cpu;
    private final PrintStream out;
    private final WarmUpRule rule;

    WarmUp(Workloads workloads, CpuMeter cpu, PrintStream out, WarmUpRule rule) {
        this.workloads = workloads;
        this.cpu = cpu;
        this.out = out;
        this.rule = rule;
    }

    /** Warms the target up; returns why it is not warm when the rule gave up on it. */
    Optional<String> run(BenchTarget target, int streams) throws Exception {
        List<WarmUpRule.Round> rounds = new ArrayList<>();
        while (true) {
            String prefix = "Wu" + (rounds.size() + 1) + "-";
            long start = System.nanoTime();
            WarmUpRule.Round round;
            try {
                CpuMeter.Measured warm = cpu.measured(workloads, target,
                        () -> workloads.appends(target, prefix, streams, ROUND_APPENDS, 1, streams));
                Optional<Double> jitShare = warm.cpu().map(use -> use.jitSeconds() / use.total());
                // The round's wall time, the index's catch-up included: what the run's budget is spent on.
                round = new WarmUpRule.Round(warm.throughput().appendsPerSecond(), jitShare, (System.nanoTime() - start) / 1e9);
                out.printf("  %s, round %d: %,.0f appends/s%s%n", target.name(), rounds.size() + 1, round.perSecond(),
                        jitShare.map(share -> String.format(", JIT compilers %.1f %% of the CPU", share * 100)).orElse(""));
            } catch (IllegalStateException failed) {
                // A cold stack on a loaded box can leave the first appends unanswered past the client's timeout (the
                // gate still starting); the warm-up is not measured, so such a round only counts as not settled.
                round = WarmUpRule.Round.failed((System.nanoTime() - start) / 1e9);
                out.printf("  %s, round %d: %s%n", target.name(), rounds.size() + 1, failed.getMessage());
            }
            rounds.add(round);
            WarmUpRule.Verdict verdict = rule.judge(rounds);
            if (verdict instanceof WarmUpRule.Verdict.Settled) {
                return Optional.empty();
            }
            if (verdict instanceof WarmUpRule.Verdict.GaveUp gaveUp) {
                out.printf("  %s: %s%n", target.name(), gaveUp.why());
                return Optional.of(target.name() + " " + gaveUp.why());
            }
        }
    }
}
