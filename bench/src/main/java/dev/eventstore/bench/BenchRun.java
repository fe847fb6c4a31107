package dev.eventstore.bench;

import dev.eventstore.indexer.Indexer;
import dev.eventstore.indexer.IndexerConfig;
import dev.eventstore.local.LocalStack;
import dev.eventstore.schemas.IndexDatabase;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

/** The workloads in their order, on the store and the baseline, into one report. */
final class BenchRun {

    /**
     * Options of the run, as {@code ./eventstore bench} took them.
     *
     * @param latencyRate the fixed rate of the latency workload's second row, appends/s; 0 for none
     * @param fixedRateRun the fixed-rate row's length, when not the scale's
     */
    record Options(RunSize size, Optional<Set<String>> only, double latencyAt, double latencyRate, Optional<Duration> fixedRateRun,
                   Optional<Path> latencyTrace,
                   int baselineConnections, int partitions, String indexSchema) {}

    private final Options options;
    private final PrintStream out;

    BenchRun(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    BenchReport run(LocalStack stack, StoreTarget store, PostgresBaseline baseline) throws Exception {
        Optional<BoxSpeed> speed = BoxSpeed.start();
        try {
            BenchReport report = measure(stack, store, baseline, section -> speed.ifPresent(s -> s.enter(section)));
            speed.ifPresent(s -> {
                s.addTo(report);
                Map<String, Double> millis = s.medianMillis();
                millis.entrySet().stream().max(Map.Entry.comparingByValue()).ifPresent(slowest -> out.printf(
                        "Box speed: the same fixed work took %.2f ms (median) during %s, the slowest workload, and %.2f ms during"
                                + " the fastest%n", slowest.getValue(), slowest.getKey(),
                        millis.values().stream().mapToDouble(Double::doubleValue).min().orElseThrow()));
            });
            return report;
        } finally {
            speed.ifPresent(BoxSpeed::close);
        }
    }

    private BenchReport measure(LocalStack stack, StoreTarget store, PostgresBaseline baseline, Consumer<String> entering)
            throws Exception {
        RunSize size = options.size();
        Scale scale = options.fixedRateRun().map(size.scale()::withFixedRateRun).orElse(size.scale());
        Map<String, Object> setup = new LinkedHashMap<>();
        setup.put("quick", size == RunSize.QUICK);
        setup.put("size", size.name());
        setup.put("cores", Runtime.getRuntime().availableProcessors());
        setup.put("cpu", CpuModel.ofThisMachine());
        setup.put("java", System.getProperty("java.version"));
        setup.put("partitions", options.partitions());
        setup.put("baselineConnections", options.baselineConnections());
        setup.put("appendsInFlight", 1_000);
        setup.put("latencyRateFractionOfW1", options.latencyAt());
        setup.put("latencyFixedRate", options.latencyRate());
        setup.put("latencyFixedRateSeconds", scale.fixedRateRun().toSeconds());
        BenchReport report = new BenchReport(setup);
        CpuMeter cpu = CpuMeter.of(stack);
        Workloads workloads = new Workloads(out);
        int streams = 1_000;

        entering.accept("warm-up");
        out.println("Warm-up (not measured): rounds of single-event appends on each target until its JIT compilers settle");
        size.noRatio().ifPresent(report::withholdRatio);
        WarmUp warmUp = new WarmUp(workloads, cpu, out, size.warmUp());
        for (BenchTarget target : List.of(store, baseline)) {
            Optional<String> unsettled = warmUp.run(target, streams);
            // A cold quick run measures the JIT compilers, not the targets (its ratio was a quarter of the full
            // run's): it gives no ratio. A full run measures anyway; its CPU rows say what the compilers took.
            if (size.withholdsUnsteadyRatio()) {
                unsettled.ifPresent(report::withholdRatio);
            } else {
                unsettled.ifPresent(why -> out.println("  measuring anyway"));
            }
        }

        AlternatedRounds alternated = new AlternatedRounds(workloads, cpu, out);
        entering.accept("W1");
        out.printf("W1: %,d single-event appends, exact expected version, %,d streams, one in flight per stream, as %d alternated"
                + " pairs of rounds of %,d%n", scale.w1Appends(), streams, scale.w1Pairs(), scale.w1Appends() / scale.w1Pairs());
        PairedRounds w1 = alternated.run(report, new AlternatedRounds.Shape("W1", "single-event appends", scale.w1Appends(), 1,
                scale.w1Pairs()), store, baseline, streams);
        report.headlineRatio(w1.medianRatio());
        w1.disagreement("W1").ifPresent(why -> {
            // A quick run's blocks that scatter measure the box, not the targets: its ratio is withheld.
            out.println("  " + why + (size.withholdsUnsteadyRatio() ? "" : "; the ratio is their median all the same"));
            if (size.withholdsUnsteadyRatio()) {
                report.withholdRatio(why);
            }
        });

        if (selected("W1any")) {
            entering.accept("W1any");
            out.printf("W1any: W1 with expected version any (%,d appends)%n", scale.w1Appends());
            // An append that cannot be proved new by its stream's version, so the gate looks its request id up.
            closedLoop(report, workloads, cpu, store, baseline, "W1any", "single-event appends, expected version any", streams,
                    scale.w1Appends(), 1, true);
        }
        if (selected("W2")) {
            entering.accept("W2");
            out.printf("W2: %,d events in 10-event appends, exact expected version, as %d alternated pairs of rounds of %,d%n",
                    scale.w2Events(), scale.w2Pairs(), scale.w2Events() / scale.w2Pairs());
            alternated.run(report, new AlternatedRounds.Shape("W2", "events in 10-event appends", scale.w2Events() / 10, 10,
                    scale.w2Pairs()), store, baseline, streams)
                    .disagreement("W2").ifPresent(why -> out.println("  " + why + "; the ratio is their median all the same"));
        }
        if (selected("W3")) {
            entering.accept("W3");
            out.printf("W3: a 1,000-event stream read whole %d times on each target, the two in turn%n", scale.w3Reads());
            Workloads.ReadMedians w3 = workloads.readMedianMillis(store, baseline, "W3-1", 1_000, scale.w3Reads());
            report.add("W3", "full read of 1,000 events, median", "ms", w3.store(), w3.baseline());
        }
        if (selected("W4")) {
            entering.accept("W4");
            w4(scale, report, workloads, store, baseline);
        }
        if (selected("latency")) {
            entering.accept("latency");
            new LatencyRun(workloads, cpu, out, options.indexSchema(), options.latencyAt(), options.latencyTrace())
                    .run(scale, report, stack, store, baseline, w1.medianStore() * options.latencyAt(), w1.medianBaseline() * options.latencyAt(),
                            options.latencyRate());
        }
        if (selected("W5")) {
            entering.accept("W5");
            // The same number of events in both, at least the scale's: the workloads before leave them apart (the
            // latency rows append at each target's own rate), and a catch-up reads all of them.
            long events = Math.max(scale.w5Events(), Math.max(workloads.appendedEvents(store), workloads.appendedEvents(baseline)));
            out.printf("W5: fill to %,d events each, then catch up from the beginning%n", events);
            workloads.fillTo(store, "W5s-", events);
            workloads.fillTo(baseline, "W5b-", events);
            new CatchUpRun(workloads, cpu, out, size.catchUpRounds(), size.catchUpWarmUp()).run(report, store, baseline);
        }
        if (selected("cold")) {
            entering.accept("cold");
            out.printf("Cold: a new JVM's first two appends, %d JVMs per target in turn (the store's client, a JDBC connection)%n",
                    scale.coldStartPairs());
            new ColdStartRun(stack, out).run(report, scale.coldStartPairs());
        }
        if (selected("index")) {
            entering.accept("index");
            long logged = workloads.appendedEvents(store);
            store.settle(logged);
            // As before a latency row: the workloads before left two tables of a million new rows each, and an
            // autovacuum worker sent to them inside this row competes with the indexer for the two cores (BENCHMARKS.md,
            // "The box's speed, the index row and a new JVM's first append").
            Duration vacuumed = new QuietDatabase(stack).vacuumAndAnalyze();
            out.printf("Index: the database vacuumed and analyzed in %.1f s%n", vacuumed.toMillis() / 1e3);
            out.printf("Index: a second indexer builds a fresh index of all %,d events%n", logged);
            CpuMeter.Measured indexing = indexRate(stack, cpu, logged);
            report.add("index", "indexing from scratch (one indexer)", "events/s", indexing.throughput().eventsPerSecond(), null);
            indexing.cpu().ifPresent(use -> CpuRows.add(report, "index", "per event", use, Optional.empty(), logged));
        }
        return report;
    }

    private boolean selected(String workload) {
        return options.only().map(only -> only.contains(workload)).orElse(true);
    }

    /**
     * W1any: the same closed loop on the store, then on the baseline (one append in flight per stream), reported per
     * append for single-event appends and per event otherwise.
     */
    private static void closedLoop(BenchReport report, Workloads workloads, CpuMeter cpu, StoreTarget store,
                                         PostgresBaseline baseline, String workload, String metric, int streams, int appends,
                                         int eventsPerAppend, boolean expectAny) throws Exception {
        CpuMeter.Measured onStore = cpu.measured(workloads, store,
                () -> workloads.appends(store, workload + "s-", streams, appends, eventsPerAppend, streams, expectAny));
        CpuMeter.Measured onBase = cpu.measured(workloads, baseline,
                () -> workloads.appends(baseline, workload + "b-", streams, appends, eventsPerAppend, streams, expectAny));
        boolean perEvent = eventsPerAppend > 1;
        report.add(workload, metric, perEvent ? "events/s" : "appends/s", rate(onStore, perEvent), rate(onBase, perEvent));
        onStore.cpu().ifPresent(use -> CpuRows.add(report, workload, perEvent ? "per event" : "per append", use, onBase.cpu(),
                perEvent ? onStore.throughput().events() : onStore.throughput().appends()));
    }

    private static double rate(CpuMeter.Measured measured, boolean perEvent) {
        return perEvent ? measured.throughput().eventsPerSecond() : measured.throughput().appendsPerSecond();
    }

    private void w4(Scale scale, BenchReport report, Workloads workloads, StoreTarget store, PostgresBaseline baseline) throws Exception {
        out.printf("W4: 16 writers race on one stream, %,d attempts%n", scale.w4Attempts());
        Workloads.Race w4Store = workloads.race(store, "W4s-1", 16, scale.w4Attempts());
        Workloads.Race w4Base = workloads.race(baseline, "W4b-1", 16, scale.w4Attempts());
        report.add("W4", "race: successes", "appends", w4Store.successes(), (double) w4Base.successes());
        report.add("W4", "race: conflicts", "appends", w4Store.conflicts(), (double) w4Base.conflicts());
        report.add("W4", "race: versions gapless and unique", "1 = yes", w4Store.gaplessAndUnique() ? 1 : 0,
                w4Base.gaplessAndUnique() ? 1.0 : 0.0);
    }

    /**
     * How fast an indexer turns the log into the PostgreSQL index: a new indexer (own group, own schema)
     * from its start (schema migration and group join included) to the last event, while nothing else runs.
     */
    private static CpuMeter.Measured indexRate(LocalStack stack, CpuMeter cpu, long events) throws InterruptedException {
        String schema = "bench_reindex";
        IndexerConfig config = IndexerConfig.of(stack.bootstrapServers(),
                new IndexDatabase(stack.jdbcUrl(), stack.jdbcUser(), stack.jdbcPassword(), schema), stack.schemaRegistryUrl())
                .withGroupId("bench-reindex-" + UUID.randomUUID());
        Optional<StackCpu.Use> before = cpu.now();
        long start = System.nanoTime();
        try (Indexer indexer = Indexer.start(config)) {
            StoreTarget.awaitIndexed(indexer::indexedEvents, events, Duration.ofMinutes(15));
            long nanos = System.nanoTime() - start;
            // Read while the indexer's PostgreSQL backend lives: once it ended, its CPU reaches the
            // postmaster's children's times only when reaped, and a reading in between would miss it.
            Optional<StackCpu.Use> used = cpu.usedSince(before);
            long indexed = indexer.indexedEvents();
            return new CpuMeter.Measured(new Workloads.Throughput(indexed, indexed, nanos / 1e9), used);
        }
    }
}
