package dev.eventstore.launcher.failover;

import dev.eventstore.local.LocalStack;
import dev.eventstore.local.LocalStackOptions;
import dev.eventstore.schemas.StoreTopics;
import dev.eventstore.writer.api.AppendClient;
import dev.eventstore.writer.api.AppendClientConfig;
import dev.eventstore.writer.load.ExactVersionLoad;
import dev.eventstore.writer.load.LoadVerdict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./eventstore failover}: how long a gate's partitions go unanswered when one gate of two is killed
 * (SIGKILL) or stopped gracefully (SIGTERM), under a load of writers with exact expected versions, on the
 * local cluster; the median of several runs of each.
 */
@Command(name = "failover", mixinStandardHelpOptions = true,
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:done", "1:an unexpected failure (set EVENTSTORE_DEBUG=1 for its stack trace)",
                "2:bad input: an unknown option, a missing or malformed value"},
        description = "Measure the unavailability window when a gate of two is killed or stopped gracefully, on a local cluster.")
public final class FailoverCommand implements Callable<Integer> {

    /** Before the first fault: a fresh cluster is slow at first (see BENCHMARKS.md). */
    private static final int WARM_UP_SECONDS = 20;
    /**
     * For a restarted gate to take partitions back before the next fault. One that left the group gracefully comes back
     * as a new member whose state is behind, and gets standby tasks only until Kafka Streams' next probing rebalance,
     * every minute in a gate (the shortest Streams allows; Streams' own is 10 min).
     */
    private static final Duration OWNERSHIP_WAIT = Duration.ofSeconds(90);

    @Option(names = "--brokers", defaultValue = "3", description = "Kafka nodes of the local cluster (default: ${DEFAULT-VALUE})")
    int brokers;

    @Option(names = "--runs", defaultValue = "3", description = "runs of each fault; the median is reported (default: ${DEFAULT-VALUE})")
    int runs;

    @Option(names = "--writers", defaultValue = "16", description = "writers, each waiting for its append's result (default: ${DEFAULT-VALUE})")
    int writers;

    @Option(names = "--observe", defaultValue = "30", description = "seconds watched after each fault (default: ${DEFAULT-VALUE})")
    int observeSeconds;

    @Option(names = "--gate-setting", paramLabel = "KEY=VALUE",
            description = "a setting for both gates, as in their settings file (e.g. kafka.num.standby.replicas=1); repeatable")
    List<String> gateSettings = new ArrayList<>();

    @Option(names = "--log-dir", description = "where the gates' logs go (default: a temporary directory, kept)")
    Path logDir;

    @Override
    public Integer call() throws Exception {
        Path logs = logDir != null ? Files.createDirectories(logDir) : Files.createTempDirectory("eventstore-failover-");
        System.out.println("gate logs in " + logs);
        System.out.println("each fault waits until both gates own partitions (up to " + LoadVerdict.seconds(OWNERSHIP_WAIT)
                + "); a gate restarted after a graceful stop gets them back at a probing rebalance, every minute");
        try (LocalStack stack = LocalStack.start(LocalStackOptions.defaults().withBrokers(brokers))) {
            String prefix = "failover" + UUID.randomUUID().toString().substring(0, 8);
            StoreTopics topics = new StoreTopics(prefix);
            Path settingsA = writeSettings(stack, prefix, "a");
            Path settingsB = writeSettings(stack, prefix, "b");
            List<GateProcess> gates = new ArrayList<>(List.of(GateProcess.startReady(settingsA, logs)));
            gates.add(GateProcess.startReady(settingsB, logs));
            Map<Fault, List<Duration>> windows = new LinkedHashMap<>();
            ExactVersionLoad load;
            try (AppendClient client = AppendClient.create(AppendClientConfig.of(stack.bootstrapServers(), stack.schemaRegistryUrl())
                    .withTopics(topics).withDefaultTimeout(Duration.ofSeconds(2)));
                 PartitionOwners owners = new PartitionOwners(stack.bootstrapServers(), prefix + "-gate", topics.appendRequests())) {
                load = ExactVersionLoad.start(client, "Account-failover", 200, writers);
                for (int second = 1; second <= WARM_UP_SECONDS; second++) {
                    Thread.sleep(1_000);
                    System.out.printf("warm-up second %d: %d appends acknowledged%n", second, load.acknowledged());
                }
                for (int run = 1; run <= runs; run++) {
                    for (Fault fault : Fault.values()) {
                        if (!owners.awaitEveryGateOwningPartitions(2, OWNERSHIP_WAIT)) {
                            System.out.printf("run %d, %s: not measured, the second gate owned no partition %s after its"
                                    + " restart (standby tasks only)%n", run, fault.description, LoadVerdict.seconds(OWNERSHIP_WAIT));
                            continue;
                        }
                        Thread.sleep(5_000); // the load flowing through both gates before the fault
                        long at = System.nanoTime();
                        fault.inflict(gates.get(1));
                        Thread.sleep(observeSeconds * 1000L);
                        long until = System.nanoTime();
                        Duration window = FailoverWindow.after(load.acks(), at, until);
                        windows.computeIfAbsent(fault, f -> new ArrayList<>()).add(window);
                        System.out.printf("run %d, %s: partitions unanswered for %s (longest interval without any"
                                        + " acknowledgement %s)%n", run, fault.description, LoadVerdict.seconds(window),
                                LoadVerdict.seconds(LoadVerdict.longestWithoutAck(load.acks(), at, until)));
                        gates.set(1, GateProcess.startReady(settingsB, logs));
                    }
                }
                load.stop();
            } finally {
                for (GateProcess gate : gates) {
                    gate.stop();
                }
            }
            System.out.println("verdict: " + LoadVerdict.of(load, stack.bootstrapServers(), topics.events()));
            System.out.printf("%n| fault (%d brokers, 2 gates, %d writers%s) | median window | runs |%n|---|---|---|%n", brokers, writers,
                    gateSettings.isEmpty() ? "" : ", " + String.join(", ", gateSettings));
            windows.forEach((fault, measured) -> System.out.printf("| %s | %s | %s |%n", fault.description,
                    LoadVerdict.seconds(FailoverWindow.median(measured)), measured.stream().map(LoadVerdict::seconds).toList()));
        }
        return 0;
    }

    private Path writeSettings(LocalStack stack, String prefix, String instance) throws java.io.IOException {
        Path settings = stack.dataDir().resolve(prefix + "-" + instance + ".properties");
        List<String> lines = new ArrayList<>(List.of(
                "kafka.bootstrap.servers=" + stack.bootstrapServers(),
                "schema.registry.url=" + stack.schemaRegistryUrl(),
                "topic.prefix=" + prefix,
                "gate.state.dir=" + stack.dataDir().resolve(prefix + "-gate-" + instance),
                "metrics.port=-1"));
        lines.addAll(gateSettings);
        Files.write(settings, lines);
        return settings;
    }

    /** What happens to the second gate. */
    private enum Fault {
        KILLED("gate killed (SIGKILL)"),
        STOPPED("gate stopped gracefully (SIGTERM)");

        final String description;

        Fault(String description) {
            this.description = description;
        }

        void inflict(GateProcess gate) throws InterruptedException {
            if (this == KILLED) {
                gate.kill();
            } else {
                gate.stop();
            }
        }
    }
}
