package dev.eventstore.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * W5: a catch-up from the first event over the whole log, by a subscription with a no-op handler and by a
 * plain {@code KafkaConsumer} over the same topic (its limit), in turn within each round so the box's load
 * weighs on both alike, once the index has caught up with the fill; then the baseline pages the same number
 * of events out of PostgreSQL. Reports the medians, the subscription's share of the plain consumer's rate,
 * and the CPU per event of each reader.
 */
final class CatchUpRun {

    private record Round(double eventsPerSecond, long events, Optional<StackCpu.Use> cpu) {}

    private interface Reader {
        long read(long total) throws Exception;
    }

    private final Workloads workloads;
    private final CpuMeter cpu;
    private final PrintStream out;
    private final int rounds;

    CatchUpRun(Workloads workloads, CpuMeter cpu, PrintStream out, int rounds) {
        this.workloads = workloads;
        this.cpu = cpu;
        this.out = out;
        this.rounds = rounds;
    }

    void run(BenchReport report, StoreTarget store, PostgresBaseline baseline) throws Exception {
        long total = workloads.appendedEvents(store);
        // The fill's events are still being indexed: a catch-up must not share the box with that work.
        store.settle(total);
        List<Round> subscription = new ArrayList<>();
        List<Round> plain = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            // Alternate which goes first: a box that gets busier or quieter during the run favours neither.
            boolean subscriptionFirst = round % 2 == 0;
            for (int turn = 0; turn < 2; turn++) {
                if (subscriptionFirst == (turn == 0)) {
                    subscription.add(measure("subscription", store::catchUp, total));
                } else {
                    plain.add(measure("plain KafkaConsumer", store::plainConsumerCatchUp, total));
                }
            }
        }
        double baselineRate = workloads.catchUp(baseline);
        double subscriptionRate = median(subscription);
        double plainRate = median(plain);
        String ofRounds = rounds > 1 ? ", median of " + rounds : "";
        report.add("W5", "catch-up, no-op handler (subscription" + ofRounds + ")", "events/s", subscriptionRate, baselineRate);
        report.add("W5", "plain KafkaConsumer, same topic" + ofRounds, "events/s", plainRate, baselineRate);
        report.add("W5", "subscription ÷ plain KafkaConsumer (same run)", "ratio", subscriptionRate / plainRate, null);
        cpuRows(report, "subscription", subscription);
        cpuRows(report, "plain KafkaConsumer", plain);
    }

    private Round measure(String reader, Reader read, long total) throws Exception {
        Optional<StackCpu.Use> before = cpu.now();
        long start = System.nanoTime();
        long events = read.read(total);
        double seconds = (System.nanoTime() - start) / 1e9;
        Round round = new Round(events / seconds, events, cpu.usedSince(before));
        out.printf("  %s: %,.0f events/s%n", reader, round.eventsPerSecond());
        return round;
    }

    private static double median(List<Round> rounds) {
        double[] rates = rounds.stream().mapToDouble(Round::eventsPerSecond).sorted().toArray();
        int middle = rates.length / 2;
        return rates.length % 2 == 1 ? rates[middle] : (rates[middle - 1] + rates[middle]) / 2;
    }

    /** The reader's CPU per event over all its rounds, the stack's idle background included, by process. */
    private static void cpuRows(BenchReport report, String reader, List<Round> rounds) {
        if (rounds.stream().anyMatch(round -> round.cpu().isEmpty())) {
            return;
        }
        long events = rounds.stream().mapToLong(Round::events).sum();
        report.add("W5", "CPU per event, " + reader + ", all processes", "µs",
                rounds.stream().mapToDouble(round -> round.cpu().orElseThrow().total()).sum() * 1e6 / events, null);
        for (StackCpu.Role role : List.of(StackCpu.Role.BROKER, StackCpu.Role.BENCH_JVM)) {
            report.add("W5", "  of which " + role.label, "µs",
                    rounds.stream().mapToDouble(round -> round.cpu().orElseThrow().of(role)).sum() * 1e6 / events, null);
        }
    }
}
