package dev.eventstore.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * W5: a catch-up from the first event over the whole log, by a subscription with a no-op handler, by a plain
 * {@code KafkaConsumer} over the same topic (its limit) and by the baseline paging the same number of events
 * out of PostgreSQL, in turn within each round (the order rotated every round, so a box that gets busier or
 * quieter favours none), once the index has caught up with the fill and rounds of the same catch-ups, not
 * measured, have warmed the JIT compilers up ({@link WarmUpRule#CATCH_UP}). A catch-up runs from its reader's
 * start (group join included) to the last event in its hands; closing the reader is reported apart. Reports the
 * medians, the subscription's share of the plain consumer's rate, and the CPU per event of each reader.
 */
final class CatchUpRun {

    private record Round(double eventsPerSecond, long events, double firstEventMillis, double closingMillis, Optional<StackCpu.Use> cpu) {}

    private interface Reader {
        CaughtUp read(long total) throws Exception;
    }

    /** @param events how many events its target holds: all of them are read */
    private record Contender(String name, Reader reader, long events, List<Round> rounds) {}

    private final Workloads workloads;
    private final CpuMeter cpu;
    private final PrintStream out;
    private final int rounds;
    private final WarmUpRule warmUp;

    CatchUpRun(Workloads workloads, CpuMeter cpu, PrintStream out, int rounds, WarmUpRule warmUp) {
        this.workloads = workloads;
        this.cpu = cpu;
        this.out = out;
        this.rounds = rounds;
        this.warmUp = warmUp;
    }

    void run(BenchReport report, StoreTarget store, PostgresBaseline baseline) throws Exception {
        long total = workloads.appendedEvents(store);
        // The fill's events are still being indexed: a catch-up must not share the box with that work.
        store.settle(total);
        Contender subscription = new Contender("subscription", store::catchUp, total, new ArrayList<>());
        Contender plain = new Contender("plain KafkaConsumer", store::plainConsumerCatchUp, total, new ArrayList<>());
        Contender postgres = new Contender("postgres baseline", baseline::catchUp, workloads.appendedEvents(baseline), new ArrayList<>());
        List<Contender> order = List.of(subscription, plain, postgres);
        warmUp(order);
        for (int round = 0; round < rounds; round++) {
            Round[] measured = round(order, round);
            for (int i = 0; i < order.size(); i++) {
                order.get(i).rounds().add(measured[i]);
            }
        }
        double baselineRate = median(postgres.rounds(), Round::eventsPerSecond);
        double subscriptionRate = median(subscription.rounds(), Round::eventsPerSecond);
        double plainRate = median(plain.rounds(), Round::eventsPerSecond);
        String ofRounds = rounds > 1 ? ", median of " + rounds : "";
        report.add("W5", "catch-up, no-op handler (subscription" + ofRounds + ")", "events/s", subscriptionRate, baselineRate);
        report.add("W5", "plain KafkaConsumer, same topic" + ofRounds, "events/s", plainRate, baselineRate);
        report.add("W5", "subscription ÷ plain KafkaConsumer (same run)", "ratio", subscriptionRate / plainRate, null);
        report.add("W5", "first event after the start, subscription" + ofRounds, "ms",
                median(subscription.rounds(), Round::firstEventMillis), median(postgres.rounds(), Round::firstEventMillis));
        report.add("W5", "first event after the start, plain KafkaConsumer" + ofRounds, "ms",
                median(plain.rounds(), Round::firstEventMillis), null);
        report.add("W5", "closing the subscription after its last event" + ofRounds, "ms",
                median(subscription.rounds(), Round::closingMillis), null);
        report.add("W5", "closing the plain KafkaConsumer" + ofRounds, "ms", median(plain.rounds(), Round::closingMillis), null);
        cpuRows(report, subscription);
        cpuRows(report, plain);
    }

    /**
     * Rounds of the same catch-ups, in the same rotation, until {@link #warmUp} has the JIT compilers settled: a
     * subscription that runs for days pays its compilation once, not in every catch-up measured.
     */
    private void warmUp(List<Contender> order) throws Exception {
        out.println("  warm-up (not measured): rounds of the three catch-ups until the JIT compilers settle");
        List<WarmUpRule.Round> warmUpRounds = new ArrayList<>();
        while (true) {
            long start = System.nanoTime();
            Optional<StackCpu.Use> before = cpu.now();
            // The subscription is first in the order: its rate is the round's.
            double subscriptionRate = round(order, warmUpRounds.size())[0].eventsPerSecond();
            Optional<Double> jitShare = cpu.usedSince(before).map(use -> use.jitSeconds() / use.total());
            warmUpRounds.add(new WarmUpRule.Round(subscriptionRate, jitShare, (System.nanoTime() - start) / 1e9));
            out.printf("  warm-up round %d%s%n", warmUpRounds.size(),
                    jitShare.map(share -> String.format(": JIT compilers %.1f %% of the CPU", share * 100)).orElse(""));
            WarmUpRule.Verdict verdict = warmUp.judge(warmUpRounds);
            if (verdict instanceof WarmUpRule.Verdict.Settled) {
                return;
            }
            if (verdict instanceof WarmUpRule.Verdict.GaveUp gaveUp) {
                out.printf("  catch-ups %s; measuring anyway%n", gaveUp.why());
                return;
            }
        }
    }

    /**
     * One catch-up by each contender, the one at {@code index % size} first (the order rotated round by round, so a
     * box that gets busier or quieter favours none); the rounds in the order of {@code order}.
     */
    private Round[] round(List<Contender> order, int index) throws Exception {
        Round[] measured = new Round[order.size()];
        for (int turn = 0; turn < order.size(); turn++) {
            int next = (index + turn) % order.size();
            measured[next] = measure(order.get(next));
        }
        return measured;
    }

    private Round measure(Contender contender) throws Exception {
        Optional<StackCpu.Use> before = cpu.now();
        long start = System.nanoTime();
        CaughtUp caughtUp = contender.reader().read(contender.events());
        long closed = System.nanoTime();
        Round round = new Round(caughtUp.events() / ((caughtUp.lastEventNanos() - start) / 1e9), caughtUp.events(),
                (caughtUp.firstEventNanos() - start) / 1e6, (closed - caughtUp.lastEventNanos()) / 1e6, cpu.usedSince(before));
        out.printf("  %s: %,.0f events/s, the first event after %.0f ms, then %.0f ms to close%n", contender.name(),
                round.eventsPerSecond(), round.firstEventMillis(), round.closingMillis());
        return round;
    }

    private static double median(List<Round> rounds, ToDoubleFunction<Round> figure) {
        return Medians.of(rounds, figure);
    }

    /** The reader's CPU per event over all its rounds, the stack's idle background included, by process. */
    private static void cpuRows(BenchReport report, Contender contender) {
        List<Round> rounds = contender.rounds();
        if (rounds.stream().anyMatch(round -> round.cpu().isEmpty())) {
            return;
        }
        long events = rounds.stream().mapToLong(Round::events).sum();
        report.add("W5", "CPU per event, " + contender.name() + ", all processes", "µs",
                rounds.stream().mapToDouble(round -> round.cpu().orElseThrow().total()).sum() * 1e6 / events, null);
        for (StackCpu.Role role : List.of(StackCpu.Role.BROKER, StackCpu.Role.BENCH_JVM)) {
            report.add("W5", "  of which " + role.label, "µs",
                    rounds.stream().mapToDouble(round -> round.cpu().orElseThrow().of(role)).sum() * 1e6 / events, null);
        }
        report.add("W5", "  of which JIT compilers (all JVMs)", "µs",
                rounds.stream().mapToDouble(round -> round.cpu().orElseThrow().jitSeconds()).sum() * 1e6 / events, null);
    }
}
