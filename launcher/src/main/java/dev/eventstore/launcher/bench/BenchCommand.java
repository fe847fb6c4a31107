package dev.eventstore.launcher.bench;

import dev.eventstore.indexer.Indexer;
import dev.eventstore.indexer.IndexerConfig;
import dev.eventstore.launcher.StoreServices;
import dev.eventstore.local.LocalStack;
import dev.eventstore.local.LocalStackOptions;
import dev.eventstore.reader.query.DataJson;
import dev.eventstore.reader.query.EventReader;
import dev.eventstore.reader.query.IndexDatabase;
import dev.eventstore.schemas.StoreTopics;
import dev.eventstore.schemas.registry.EventCodec;
import dev.eventstore.schemas.registry.SchemaRegistryClient;
import dev.eventstore.schemas.registry.SchemaRegistryConfig;
import dev.eventstore.writer.api.AppendClient;
import dev.eventstore.writer.api.AppendClientConfig;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./eventstore bench}: the store against a classic PostgreSQL event store on the same
 * PostgreSQL, same workloads, same offered concurrency, in one run on the embedded stack.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmark the store against a PostgreSQL event store on the embedded stack.")
public final class BenchCommand implements Callable<Integer> {

    private static final String INDEX_SCHEMA = "eventstore";
    /** The share of the stack's CPU below which the warm-up deems the JIT compilers settled. */
    private static final double JIT_SETTLED = 0.05;
    /** How long the stack's idle CPU is sampled for. */
    private static final Duration IDLE_SAMPLE = Duration.ofSeconds(5);
    /** The workloads {@code --only} may name. */
    private static final Set<String> OPTIONAL_WORKLOADS = Set.of("W1any", "W2", "W3", "W4", "latency", "W5", "index");

    @Option(names = "--quick", description = "a reduced run (under two minutes) for smoke checks")
    boolean quick;

    @Option(names = "--output", defaultValue = "bench-results.json", description = "JSON results (default: ${DEFAULT-VALUE})")
    Path output;

    @Option(names = "--only", split = ",", paramLabel = "WORKLOAD",
            description = "run only these of W1any, W2, W3, W4, latency, W5, index (comma-separated); the warm-up and W1 always run:"
                    + " W1 is the headline and sets the latency run's rate")
    Set<String> only;

    @Option(names = "--latency-at", paramLabel = "FRACTION", defaultValue = "0.5",
            description = "the latency run's offered rate as a fraction of each target's W1 rate (default: ${DEFAULT-VALUE})")
    double latencyAt;

    @Option(names = "--latency-trace", paramLabel = "FILE",
            description = "write each append of the store's measured latency run to FILE as CSV: scheduled time,"
                    + " wait until decided, decided to acknowledged, index lag")
    Path latencyTrace;

    @Option(names = "--baseline-connections", defaultValue = "16",
            description = "the baseline's connection pool (default: ${DEFAULT-VALUE})")
    int baselineConnections;

    @Spec
    CommandSpec spec;

    private final PrintStream out = System.out;
    private Optional<StackCpu> cpu = Optional.empty();

    /** Sizes of a run. */
    private record Scale(int w1Appends, int w2Events, int w3Reads, int w4Attempts, int w5Events, Duration latencyRun,
                         int latencyWarmUpRounds, Duration latencyWarmUpRound) {
        static final Scale FULL = new Scale(100_000, 100_000, 100, 2_000, 1_000_000, Duration.ofSeconds(20), 3, Duration.ofSeconds(15));
        static final Scale QUICK = new Scale(10_000, 20_000, 20, 500, 100_000, Duration.ofSeconds(4), 1, Duration.ofSeconds(2));
    }

    @Override
    public Integer call() throws Exception {
        if (!(latencyAt > 0 && latencyAt <= 1)) {
            throw new ParameterException(spec.commandLine(), "--latency-at takes a fraction in (0, 1], not " + latencyAt);
        }
        if (only != null && !OPTIONAL_WORKLOADS.containsAll(only)) {
            throw new ParameterException(spec.commandLine(), "--only takes some of " + new TreeSet<>(OPTIONAL_WORKLOADS) + ", not " + only);
        }
        Scale scale = quick ? Scale.QUICK : Scale.FULL;
        out.println("Starting the embedded stack, the gate and the indexer ...");
        try (LocalStack stack = LocalStack.start(LocalStackOptions.defaults());
             StoreServices services = StoreServices.start(stack.bootstrapServers(), stack.jdbcUrl(), stack.jdbcUser(),
                     stack.jdbcPassword(), stack.schemaRegistryUrl(), StoreTopics.defaults(), stack.dataDir().resolve("gate-state"),
                     INDEX_SCHEMA);
             AppendClient client = AppendClient.create(AppendClientConfig.of(stack.bootstrapServers(), stack.schemaRegistryUrl()))) {
            EventCodec codec = new EventCodec(new SchemaRegistryClient(SchemaRegistryConfig.of(stack.schemaRegistryUrl())),
                    StoreTopics.defaults().events(), true);
            try (StoreTarget store = new StoreTarget(client, new EventReader(new IndexDatabase(stack.jdbcUrl(), stack.jdbcUser(),
                         stack.jdbcPassword(), INDEX_SCHEMA), DataJson.LEFT_OUT), stack.bootstrapServers(), StoreTopics.defaults(),
                         services.indexer()::indexedEvents);
                 PostgresBaseline baseline = new PostgresBaseline(stack.jdbcUrl(), stack.jdbcUser(), stack.jdbcPassword(), codec,
                         baselineConnections)) {
                BenchReport report = run(scale, stack, store, baseline);
                out.println();
                report.printTable(out);
                report.writeJson(output);
                out.println("\nJSON: " + output.toAbsolutePath());
                out.printf("W1 appends/s ratio vs postgres baseline: %.2f%n", report.ratio("W1"));
            }
        }
        return 0;
    }

    private BenchReport run(Scale scale, LocalStack stack, StoreTarget store, PostgresBaseline baseline) throws Exception {
        Map<String, Object> setup = new LinkedHashMap<>();
        setup.put("quick", quick);
        setup.put("cores", Runtime.getRuntime().availableProcessors());
        setup.put("java", System.getProperty("java.version"));
        setup.put("partitions", StoreServices.PARTITIONS);
        setup.put("baselineConnections", baselineConnections);
        setup.put("appendsInFlight", 1_000);
        setup.put("latencyRateFractionOfW1", latencyAt);
        BenchReport report = new BenchReport(setup);
        cpu = StackCpu.supported() ? Optional.of(new StackCpu(stack.dataDir().resolve("postgres"))) : Optional.empty();
        Workloads workloads = new Workloads(out);
        int streams = 1_000;

        out.println("Warm-up (not measured): rounds of single-event appends on each target until its JIT compilers settle");
        for (BenchTarget target : List.of(store, baseline)) {
            warmUp(workloads, target, streams);
        }

        out.printf("W1: %,d single-event appends, exact expected version, %,d streams, one in flight per stream%n",
                scale.w1Appends(), streams);
        ClosedLoop w1 = closedLoop(report, workloads, store, baseline, "W1", "single-event appends", streams, scale.w1Appends(), 1, false);

        if (selected("W1any")) {
            w1Any(scale, report, workloads, store, baseline, streams);
        }
        if (selected("W2")) {
            w2(scale, report, workloads, store, baseline, streams);
        }
        if (selected("W3")) {
            out.printf("W3: a 1,000-event stream read whole %d times on each target, the two in turn%n", scale.w3Reads());
            Workloads.ReadMedians w3 = workloads.readMedianMillis(store, baseline, "W3-1", 1_000, scale.w3Reads());
            report.add("W3", "full read of 1,000 events, median", "ms", w3.store(), w3.baseline());
        }
        if (selected("W4")) {
            w4(scale, report, workloads, store, baseline);
        }
        if (selected("latency")) {
            latency(scale, report, workloads, stack, store, baseline, w1.store().throughput().appendsPerSecond() * latencyAt,
                    w1.baseline().throughput().appendsPerSecond() * latencyAt);
        }
        if (selected("W5")) {
            out.printf("W5: fill to %,d events each, then catch up from the beginning%n", scale.w5Events());
            fill(workloads, store, "W5s-", scale.w5Events());
            fill(workloads, baseline, "W5b-", scale.w5Events());
            report.add("W5", "catch-up, no-op handler", "events/s", workloads.catchUp(store), workloads.catchUp(baseline));
        }
        if (selected("index")) {
            long logged = workloads.appendedEvents(store);
            out.printf("Index: a second indexer builds a fresh index of all %,d events%n", logged);
            Measured indexing = indexRate(stack, logged);
            report.add("index", "indexing from scratch (one indexer)", "events/s", indexing.throughput().eventsPerSecond(), null);
            indexing.cpu().ifPresent(use -> addCpu(report, "index", "per event", use, Optional.empty(), logged));
        }
        return report;
    }

    private boolean selected(String workload) {
        return only == null || only.contains(workload);
    }

    /** W1 with expected version any: an append that cannot be proved new by its stream's version, so the gate looks its request id up. */
    private void w1Any(Scale scale, BenchReport report, Workloads workloads, StoreTarget store, PostgresBaseline baseline, int streams)
            throws Exception {
        out.printf("W1any: W1 with expected version any (%,d appends)%n", scale.w1Appends());
        closedLoop(report, workloads, store, baseline, "W1any", "single-event appends, expected version any", streams,
                scale.w1Appends(), 1, true);
    }

    private void w2(Scale scale, BenchReport report, Workloads workloads, StoreTarget store, PostgresBaseline baseline, int streams)
            throws Exception {
        out.printf("W2: %,d events in 10-event appends%n", scale.w2Events());
        closedLoop(report, workloads, store, baseline, "W2", "events in 10-event appends", streams, scale.w2Events() / 10, 10, false);
    }

    private record ClosedLoop(Measured store, Measured baseline) {}

    /**
     * W1, W1any and W2: the same closed loop on the store, then on the baseline (one append in flight per
     * stream), reported per append for single-event appends and per event otherwise.
     */
    private ClosedLoop closedLoop(BenchReport report, Workloads workloads, StoreTarget store, PostgresBaseline baseline, String workload,
                                  String metric, int streams, int appends, int eventsPerAppend, boolean expectAny) throws Exception {
        Measured onStore = measured(workloads, store,
                () -> workloads.appends(store, workload + "s-", streams, appends, eventsPerAppend, streams, expectAny));
        Measured onBase = measured(workloads, baseline,
                () -> workloads.appends(baseline, workload + "b-", streams, appends, eventsPerAppend, streams, expectAny));
        boolean perEvent = eventsPerAppend > 1;
        report.add(workload, metric, perEvent ? "events/s" : "appends/s", rate(onStore, perEvent), rate(onBase, perEvent));
        onStore.cpu().ifPresent(use -> addCpu(report, workload, perEvent ? "per event" : "per append", use, onBase.cpu(),
                perEvent ? onStore.throughput().events() : onStore.throughput().appends()));
        return new ClosedLoop(onStore, onBase);
    }

    private static double rate(Measured measured, boolean perEvent) {
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

    private void latency(Scale scale, BenchReport report, Workloads workloads, LocalStack stack, StoreTarget store,
                         PostgresBaseline baseline, double storeRate, double baseRate) throws Exception {
        out.printf("Latency: open loop at %s of W1's rate, exact expected versions (%,.0f and %,.0f appends/s) for %d s,"
                + " after %d unmeasured rounds of %d s%n", latencyAt == 0.5 ? "half" : latencyAt, storeRate, baseRate,
                scale.latencyRun().toSeconds(),
                scale.latencyWarmUpRounds(), scale.latencyWarmUpRound().toSeconds());
        idleCores().ifPresent(cores -> report.add("latency", "CPU of the idle stack, all processes", "cores", cores, null));
        OpenLoopRun storeRun = openLoopAfterWarmUp(workloads, store, "Ls", storeRate, scale, Optional.of(stack));
        OpenLoopRun baseRun = openLoopAfterWarmUp(workloads, baseline, "Lb", baseRate, scale, Optional.empty());
        Workloads.Latency storeLatency = storeRun.latency();
        Workloads.Latency baseLatency = baseRun.latency();
        IndexLagProbe.Lags lags = storeRun.lags().orElseThrow();
        String rate = latencyAt == 0.5 ? "half max rate" : String.format(Locale.ROOT, "%.2f of max rate", latencyAt);
        report.add("latency", "append p50 at " + rate, "ms", storeLatency.nanos().at(50) / 1e6, baseLatency.nanos().at(50) / 1e6);
        report.add("latency", "append p99 at " + rate, "ms", storeLatency.nanos().at(99) / 1e6, baseLatency.nanos().at(99) / 1e6);
        report.add("latency", "appends refused or failed", "appends", storeLatency.failed(), (double) baseLatency.failed());
        storeRun.cores().ifPresent(cores -> report.add("latency", "CPU in use, all processes", "cores", cores,
                baseRun.cores().orElse(null)));
        storeRun.cpu().ifPresent(use -> addCpu(report, "latency", "per append", use, storeLatency.nanos().count(),
                baseRun.cpu(), baseLatency.nanos().count()));
        report.add("latency", "  request to decided by the gate p50", "ms", lags.toDecided().at(50) / 1e6, null);
        report.add("latency", "  request to decided by the gate p99", "ms", lags.toDecided().at(99) / 1e6, null);
        report.add("latency", "  decided to acknowledged p50", "ms", lags.decidedToAck().at(50) / 1e6, null);
        report.add("latency", "  decided to acknowledged p99", "ms", lags.decidedToAck().at(99) / 1e6, null);
        report.add("lag", "ack to visible in PostgreSQL p50", "ms", lags.lag().at(50) / 1e6, null);
        report.add("lag", "ack to visible in PostgreSQL p99", "ms", lags.lag().at(99) / 1e6, null);
    }

    /**
     * Rounds of single-event appends, not measured, until the JIT compilers of the stack's JVMs take under
     * {@link #JIT_SETTLED} of its CPU in two rounds running (at least three rounds; one with {@code --quick}).
     * A fixed 30,000 appends, as before, left the three JVMs compiling through W1: the compilers took half of
     * the stack's CPU for the first 100,000–200,000 appends on this box, a cost a store that runs for days
     * does not pay. The table shows what the compilers still took during each measured workload.
     */
    private void warmUp(Workloads workloads, BenchTarget target, int streams) throws Exception {
        int appends = quick ? 5_000 : 10_000;
        int minRounds = quick ? 1 : 3;
        int maxRounds = quick ? 1 : 60;
        int settledRounds = 0;
        for (int round = 1; round <= maxRounds; round++) {
            String prefix = "Wu" + round + "-";
            Measured warm = measured(workloads, target, () -> workloads.appends(target, prefix, streams, appends, 1, streams));
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

    /** An open-loop run's latencies and, where probed, the index lag and latency split of the appends it acknowledged. */
    private record OpenLoopRun(Workloads.Latency latency, Optional<IndexLagProbe.Lags> lags, Optional<StackCpu.Use> cpu,
                               double seconds) {
        /** The stack's CPU in cores: CPU seconds per second of the run. */
        Optional<Double> cores() {
            return cpu.map(use -> use.total() / seconds);
        }
    }

    /**
     * The latency run, after unmeasured open-loop rounds at the same rate (printed). The first open loop
     * after the closed loops tends to be slower than those that follow it: in rounds of 15 s at 6,000
     * appends/s after 250,000–450,000 closed-loop appends, the first round's index lag p99 was 2–40 times
     * the third's in ten runs of ten, its append p99 1.1–6.0 times in nine (BENCHMARKS.md). The measured
     * figures are those of the steady state, as W1's are of JIT-compiled code.
     *
     * @param lagOf the stack whose index the store's run probes for the index lag; empty for the baseline
     */
    private OpenLoopRun openLoopAfterWarmUp(Workloads workloads, BenchTarget target, String prefix, double rate, Scale scale,
                                            Optional<LocalStack> lagOf) throws Exception {
        for (int round = 1; round <= scale.latencyWarmUpRounds(); round++) {
            OpenLoopRun warm = openLoop(workloads, target, prefix + "w" + round + "-", rate, scale.latencyWarmUpRound(), lagOf,
                    Optional.empty());
            out.printf("  %s, open-loop warm-up round %d: p50 %.1f ms, p99 %.1f ms%s%s%n", target.name(), round,
                    warm.latency().nanos().at(50) / 1e6, warm.latency().nanos().at(99) / 1e6,
                    warm.cores().map(cores -> String.format(", %.2f cores busy", cores)).orElse(""),
                    warm.lags().map(lags -> String.format(" (to decided %.1f ms, decided to acknowledged %.1f ms), index lag p99 %.1f ms",
                            lags.toDecided().at(99) / 1e6, lags.decidedToAck().at(99) / 1e6, lags.lag().at(99) / 1e6)).orElse(""));
        }
        return openLoop(workloads, target, prefix + "-", rate, scale.latencyRun(), lagOf, Optional.ofNullable(latencyTrace));
    }

    /** @param trace where to write the probed appends' times (see {@link IndexLagProbe#writeTrace}) */
    private OpenLoopRun openLoop(Workloads workloads, BenchTarget target, String prefix, double rate, Duration duration,
                                 Optional<LocalStack> lagOf, Optional<Path> trace) throws Exception {
        Optional<StackCpu.Use> before = cpu.map(StackCpu::now);
        long start = System.nanoTime();
        if (lagOf.isEmpty()) {
            Workloads.Latency latency = workloads.openLoop(target, prefix, 10_000, rate, duration, null);
            return new OpenLoopRun(latency, Optional.empty(), usedSince(before), (System.nanoTime() - start) / 1e9);
        }
        LocalStack stack = lagOf.get();
        try (IndexLagProbe probe = new IndexLagProbe(stack.jdbcUrl(), stack.jdbcUser(), stack.jdbcPassword(), INDEX_SCHEMA)) {
            Workloads.Latency latency = workloads.openLoop(target, prefix, 10_000, rate, duration, probe);
            Optional<StackCpu.Use> used = usedSince(before);
            double seconds = (System.nanoTime() - start) / 1e9;
            IndexLagProbe.Lags lags = probe.lags(Duration.ofMinutes(2));
            if (trace.isPresent()) {
                probe.writeTrace(trace.get());
                out.println("  latency trace: " + trace.get().toAbsolutePath());
            }
            return new OpenLoopRun(latency, Optional.of(lags), used, seconds);
        }
    }

    /** What the stack takes with no load (the gate, the indexer and the clients polling; the broker's timers), in cores. */
    private Optional<Double> idleCores() throws InterruptedException {
        Optional<StackCpu.Use> before = cpu.map(StackCpu::now);
        long start = System.nanoTime();
        Thread.sleep(IDLE_SAMPLE.toMillis());
        double seconds = (System.nanoTime() - start) / 1e9;
        return usedSince(before).map(use -> use.total() / seconds);
    }

    private Optional<StackCpu.Use> usedSince(Optional<StackCpu.Use> before) {
        return cpu.map(meter -> meter.now().minus(before.orElseThrow()));
    }

    /** A throughput run and the CPU the stack spent on it, the index's catch-up included. */
    private record Measured(Workloads.Throughput throughput, Optional<StackCpu.Use> cpu) {}

    private Measured measured(Workloads workloads, BenchTarget target, Callable<Workloads.Throughput> run) throws Exception {
        Optional<StackCpu.Use> before = cpu.map(StackCpu::now);
        Workloads.Throughput throughput = run.call();
        target.settle(workloads.appendedEvents(target));
        return new Measured(throughput, usedSince(before));
    }

    /**
     * CPU microseconds per unit (append or event), all processes and by role. The idle stack's background
     * (the broker, the gate and the indexer polling) counts for both targets.
     */
    private static void addCpu(BenchReport report, String workload, String per, StackCpu.Use store, Optional<StackCpu.Use> baseline,
                               long units) {
        addCpu(report, workload, per, store, units, baseline, units);
    }

    /** As above, where the two targets did different numbers of units. */
    private static void addCpu(BenchReport report, String workload, String per, StackCpu.Use store, long storeUnits,
                               Optional<StackCpu.Use> baseline, long baselineUnits) {
        report.add(workload, "CPU " + per + ", all processes", "µs", store.total() * 1e6 / storeUnits,
                baseline.map(use -> use.total() * 1e6 / baselineUnits).orElse(null));
        for (StackCpu.Role role : List.of(StackCpu.Role.BROKER, StackCpu.Role.POSTGRESQL, StackCpu.Role.BENCH_JVM)) {
            report.add(workload, "  of which " + role.label, "µs", store.of(role) * 1e6 / storeUnits,
                    baseline.map(use -> use.of(role) * 1e6 / baselineUnits).orElse(null));
        }
        report.add(workload, "  of which JIT compilers (all JVMs)", "µs", store.jitSeconds() * 1e6 / storeUnits,
                baseline.map(use -> use.jitSeconds() * 1e6 / baselineUnits).orElse(null));
    }

    /**
     * How fast an indexer turns the log into the PostgreSQL index: a new indexer (own group, own schema)
     * from its start (schema migration and group join included) to the last event, while nothing else runs.
     */
    private Measured indexRate(LocalStack stack, long events) throws InterruptedException {
        String schema = "bench_reindex";
        IndexerConfig config = IndexerConfig.of(stack.bootstrapServers(),
                new IndexerConfig.Database(stack.jdbcUrl(), stack.jdbcUser(), stack.jdbcPassword(), schema), stack.schemaRegistryUrl())
                .withGroupId("bench-reindex-" + UUID.randomUUID());
        Optional<StackCpu.Use> before = cpu.map(StackCpu::now);
        long start = System.nanoTime();
        try (Indexer indexer = Indexer.start(config)) {
            StoreTarget.awaitIndexed(indexer::indexedEvents, events, Duration.ofMinutes(15));
            long nanos = System.nanoTime() - start;
            // Read while the indexer's PostgreSQL backend lives: once it ended, its CPU reaches the
            // postmaster's children's times only when reaped, and a reading in between would miss it.
            Optional<StackCpu.Use> used = usedSince(before);
            long indexed = indexer.indexedEvents();
            return new Measured(new Workloads.Throughput(indexed, indexed, nanos / 1e9), used);
        }
    }

    /** Tops the target up to {@code total} events with 100-event appends to new streams. */
    private static void fill(Workloads workloads, BenchTarget target, String prefix, long total) throws InterruptedException {
        long missing = total - workloads.appendedEvents(target);
        if (missing > 0) {
            workloads.appends(target, prefix, (int) Math.min(1_000, (missing + 99) / 100), (int) ((missing + 99) / 100), 100, 1_000);
        }
    }
}
