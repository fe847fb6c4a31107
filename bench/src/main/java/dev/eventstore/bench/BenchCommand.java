package dev.eventstore.bench;

import dev.eventstore.local.LocalStack;
import dev.eventstore.local.LocalStackOptions;
import dev.eventstore.reader.query.DataJson;
import dev.eventstore.reader.query.EventReader;
import dev.eventstore.schemas.IndexDatabase;
import dev.eventstore.schemas.StoreTopics;
import dev.eventstore.schemas.registry.EventCodec;
import dev.eventstore.schemas.registry.SchemaRegistryClient;
import dev.eventstore.schemas.registry.SchemaRegistryConfig;
import dev.eventstore.writer.api.AppendClient;
import dev.eventstore.writer.api.AppendClientConfig;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code ./eventstore bench}: the store against a classic PostgreSQL event store on the same
 * PostgreSQL, same workloads, same offered concurrency, in one run on the embedded stack. This class
 * takes the options and starts the targets; {@link BenchRun} runs the workloads.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmark the store against a PostgreSQL event store on the embedded stack.",
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:done; the last line gives W1's ratio against the baseline (or, in a quick run whose warm-up did not settle or whose W1 blocks scattered, why none)",
                "1:an unexpected failure (set EVENTSTORE_DEBUG=1 for its stack trace)", "2:bad input: an unknown or malformed option"})
public final class BenchCommand implements Callable<Integer> {

    private static final String INDEX_SCHEMA = "eventstore";
    /** A fixed rate beyond any this box or a larger one sustains; above it a run only queues. */
    private static final double MAX_LATENCY_RATE = 1_000_000;
    /** An hour: the trace of a longer row would not fit the bench JVM's heap. */
    private static final int MAX_LATENCY_SECONDS = 3_600;
    /** The workloads {@code --only} may name. */
    private static final Set<String> OPTIONAL_WORKLOADS = Set.of("W1", "W1any", "W2", "W3", "W4", "latency", "W5", "cold", "index");

    @Option(names = "--quick", description = "a reduced run for smoke checks, the warm-up included (a few minutes); gives no W1 ratio when the warm-up does not settle in three minutes or W1's alternated blocks scatter beyond 25 %%")
    boolean quick;

    /** Hidden: for the test that runs a whole bench, not for measuring. */
    @Option(names = "--smoke", hidden = true, description = "every workload at the least size that runs its code; gives no ratio")
    boolean smoke;

    @Option(names = "--output", defaultValue = "bench-results.json", description = "JSON results (default: ${DEFAULT-VALUE})")
    Path output;

    @Option(names = "--only", split = ",", paramLabel = "WORKLOAD",
            description = "run only these of W1, W1any, W2, W3, W4, latency, W5, cold, index (comma-separated); the warm-up and W1 always run:"
                    + " W1 is the headline and sets the latency run's rate (--only W1: nothing else)")
    Set<String> only;

    @Option(names = "--latency-at", paramLabel = "FRACTION", defaultValue = "0.5",
            description = "the latency run's offered rate as a fraction of each target's W1 rate (default: ${DEFAULT-VALUE})")
    double latencyAt;

    @Option(names = "--latency-rate", paramLabel = "APPENDS_PER_SECOND", defaultValue = "5000",
            description = "the latency workload's second row: both targets at this fixed rate, with the verdict on p99 ≤ 50 ms and"
                    + " index lag p99 ≤ 250 ms; 0 leaves the row out (default: ${DEFAULT-VALUE})")
    double latencyRate;

    @Option(names = "--latency-seconds", paramLabel = "SECONDS",
            description = "how long the fixed-rate row is measured (default: 30, --quick 4); minutes show the store's periodic work,"
                    + " such as the gate's RocksDB compactions, that half a minute may miss")
    Integer latencySeconds;

    @Option(names = "--latency-trace", paramLabel = "FILE",
            description = "write each append of the store's last measured latency run (the fixed rate's, if any) to FILE as CSV: scheduled time,"
                    + " wait until decided, decided to acknowledged, index lag")
    Path latencyTrace;

    @Option(names = "--baseline-connections", defaultValue = "" + PostgresBaseline.DEFAULT_CONNECTIONS,
            description = "the baseline's connection pool (default: ${DEFAULT-VALUE})")
    int baselineConnections;

    @Option(names = "--brokers", defaultValue = "1",
            description = "Kafka nodes of the embedded stack: 1 (default) or a replicated KRaft cluster of 3 (every topic on three"
                    + " replicas, min.insync.replicas=2), each its own process")
    int brokers;

    @Spec
    CommandSpec spec;

    private final StoreStarter storeStarter;
    private final PrintStream out = System.out;

    /** @param storeStarter starts the gate and the indexer on the embedded stack */
    public BenchCommand(StoreStarter storeStarter) {
        this.storeStarter = storeStarter;
    }

    @Override
    public Integer call() throws Exception {
        if (!(latencyAt > 0 && latencyAt <= 1)) {
            throw new ParameterException(spec.commandLine(), "--latency-at takes a fraction in (0, 1], not " + latencyAt);
        }
        if (!(latencyRate >= 0 && latencyRate <= MAX_LATENCY_RATE)) {
            throw new ParameterException(spec.commandLine(), "--latency-rate takes 0 to " + MAX_LATENCY_RATE + " appends/s, not " + latencyRate);
        }
        if (latencySeconds != null && (latencySeconds < 1 || latencySeconds > MAX_LATENCY_SECONDS)) {
            throw new ParameterException(spec.commandLine(), "--latency-seconds takes 1 to " + MAX_LATENCY_SECONDS + " s, not " + latencySeconds);
        }
        if (only != null && !OPTIONAL_WORKLOADS.containsAll(only)) {
            throw new ParameterException(spec.commandLine(), "--only takes some of " + new TreeSet<>(OPTIONAL_WORKLOADS) + ", not " + only);
        }
        if (quick && smoke) {
            throw new ParameterException(spec.commandLine(), "--quick and --smoke are two sizes of run: give one");
        }
        if (brokers < 1 || brokers > LocalStackOptions.MAX_BROKERS) {
            throw new ParameterException(spec.commandLine(), "--brokers must be 1 to " + LocalStackOptions.MAX_BROKERS + ", not " + brokers);
        }
        out.println("Starting the embedded stack (" + brokers + (brokers == 1 ? " Kafka broker" : " Kafka brokers")
                + "), the gate and the indexer ...");
        try (LocalStack stack = LocalStack.start(LocalStackOptions.defaults().withBrokers(brokers));
             StoreStarter.RunningStore services = storeStarter.start(stack, StoreTopics.defaults(), stack.dataDir().resolve("gate-state"),
                     INDEX_SCHEMA);
             AppendClient client = AppendClient.create(AppendClientConfig.of(stack.bootstrapServers(), stack.schemaRegistryUrl()))) {
            EventCodec codec = new EventCodec(new SchemaRegistryClient(SchemaRegistryConfig.of(stack.schemaRegistryUrl())),
                    StoreTopics.defaults().events(), true);
            try (StoreTarget store = new StoreTarget(client, new EventReader(new IndexDatabase(stack.jdbcUrl(), stack.jdbcUser(),
                         stack.jdbcPassword(), INDEX_SCHEMA), DataJson.LEFT_OUT), stack.bootstrapServers(), StoreTopics.defaults(),
                         services::indexedEvents);
                 PostgresBaseline baseline = new PostgresBaseline(stack.jdbcUrl(), stack.jdbcUser(), stack.jdbcPassword(), codec,
                         baselineConnections)) {
                RunSize size = smoke ? RunSize.SMOKE : quick ? RunSize.QUICK : RunSize.FULL;
                BenchRun.Options options = new BenchRun.Options(size, Optional.ofNullable(only), latencyAt, latencyRate,
                        Optional.ofNullable(latencySeconds).map(Duration::ofSeconds), Optional.ofNullable(latencyTrace),
                        baselineConnections, services.partitions(), INDEX_SCHEMA);
                BenchReport report = new BenchRun(options, out).run(stack, store, baseline);
                out.println();
                report.printTable(out);
                report.writeJson(output);
                out.println("\nJSON: " + output.toAbsolutePath());
                out.println(report.ratioLine());
            }
        }
        return 0;
    }
}
