package dev.eventstore.launcher;

import dev.eventstore.indexer.Indexer;
import dev.eventstore.indexer.IndexerConfig;
import java.io.PrintStream;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Shows how far the index and the subscription groups trail the events topic. */
@Command(name = "lag", mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        exitCodeListHeading = Main.EXIT_HEADING, exitCodeList = {Main.OK_LINE, Main.FAILED_LINE, Main.BAD_INPUT_LINE, Main.UNREACHABLE_LINE},
        description = {"Show the lag of the index (from its positions in PostgreSQL) and of every consumer group on the"
                + " events topic (subscriptions), in offsets and in time.",
                "Offsets count the events and the transaction markers between them (as Kafka's own lag tools do), so a"
                        + " lag slightly overstates the events pending; 0 means caught up."})
final class LagCommand implements Callable<Integer> {

    @Mixin
    SettingsOption settingsOption;

    @Option(names = "--group", description = "only this subscription group (default: every group reading the events topic)")
    String group;

    @Override
    public Integer call() throws Exception {
        StoreSettings settings = settingsOption.settings();
        IndexerConfig indexer = settings.indexerConfig();
        String topic = indexer.topics().events();
        Map<String, Object> clientProps = new HashMap<>(settings.kafkaProperties());
        clientProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        PrintStream out = System.out;
        ServerChecks checks = ServerChecks.once(settings);
        if (group == null) {
            checks.postgres();
        }
        try (Admin admin = settings.admin()) {
            checks.kafka(admin);
            if (group == null) {
                print(out, "index (schema " + indexer.database().schema() + ")",
                        LogLag.measure(admin, clientProps, topic, Indexer.storedPositions(indexer)));
            }
            List<String> groups = group != null ? List.of(group)
                    : admin.listConsumerGroups().all().get().stream().map(ConsumerGroupListing::groupId).sorted().toList();
            for (String id : groups) {
                if (id.equals(indexer.groupId()) && group == null) {
                    continue; // shown above, from the positions that count
                }
                Map<TopicPartition, Long> committed = new HashMap<>();
                admin.listConsumerGroupOffsets(id).partitionsToOffsetAndMetadata().get().forEach((partition, offset) -> {
                    if (partition.topic().equals(topic) && offset != null) {
                        committed.put(partition, offset.offset());
                    }
                });
                if (committed.isEmpty() && group == null) {
                    continue; // a group on other topics (the gate's, an append client's)
                }
                print(out, "subscription group " + id, LogLag.measure(admin, clientProps, topic, committed));
            }
        }
        return 0;
    }

    private static void print(PrintStream out, String reader, LogLag lag) {
        out.printf("%s: %,d offsets behind, oldest pending event %.1f s old%n", reader, lag.totalOffsets(),
                lag.maxAge(Instant.now()).toMillis() / 1000.0);
        lag.partitions().forEach((partition, p) -> out.printf("  partition %d: position %,d of %,d, %,d behind%n",
                partition, p.position(), p.end(), p.behind()));
    }
}
