package dev.eventstore.indexer;

import dev.eventstore.schemas.IndexDatabase;
import dev.eventstore.schemas.Pause;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Rebuilds the index from the log: a fresh schema is filled by an indexer of its own from the first
 * event on; once it has caught up with the log it is swapped in for the live schema in one transaction
 * (the old one is kept, renamed, for the operator to drop). A live indexer writing meanwhile notices
 * the swap at its next batch (its stored offsets changed under it) and resumes from the rebuilt
 * index's offsets, so no event is missed or doubled. Global positions are assigned anew. The key store's
 * table ({@code data_keys}) is not derived from the log: it moves over from the live schema in the swap.
 */
public final class IndexRebuild {

    /** Progress: events indexed into the new schema, and records in the log when the rebuild started (a bound). */
    public record Progress(long indexed, long target) {}

    /** What was swapped: the schema that now serves, and the old one kept under another name. */
    public record Result(String schema, String previousSchemaKeptAs, long indexed) {}

    private IndexRebuild() {}

    public static Result run(IndexerConfig live, Consumer<Progress> progress, Duration timeout) throws SQLException, InterruptedException {
        String suffix = Long.toString(System.currentTimeMillis());
        String liveSchema = live.database().schema();
        String rebuildSchema = truncate(liveSchema + "_rebuild_" + suffix);
        String keptAs = truncate(liveSchema + "_old_" + suffix);
        IndexDatabase database = live.database().withSchema(rebuildSchema);
        IndexerConfig config = new IndexerConfig(live.bootstrapServers(), live.groupId() + "-rebuild-" + suffix, live.topics(),
                database, live.schemaRegistry(), live.maxBatch(), live.lagLogInterval(), live.kafkaProperties(), live.dataJson());
        int partitions = partitionCount(live);
        if (partitions == 0) {
            // Indexing nothing would catch up at once and swap an empty index in for the live one.
            throw new IllegalStateException("the events topic " + live.topics().events() + " does not exist on the brokers at "
                    + live.bootstrapServers() + ": there is nothing to rebuild the index from (is the topics' prefix the writer's?);"
                    + " the live index is untouched");
        }
        long target = recordsInLog(live);
        try (Indexer indexer = Indexer.start(config)) {
            // Caught up: every partition fetched after the start and none behind its end.
            boolean caughtUp = Pause.until(() -> {
                progress.accept(new Progress(indexer.indexedEvents(), target));
                return indexer.lag().events().size() >= partitions && indexer.lag().totalEvents() == 0;
            }, timeout, Duration.ofMillis(500));
            if (!caughtUp) {
                throw new IllegalStateException("the rebuild indexed " + indexer.indexedEvents() + " of " + target
                        + " events in " + timeout + "; the live index is untouched, " + rebuildSchema + " can be dropped");
            }
        }
        analyze(database, rebuildSchema);
        swap(database, liveSchema, rebuildSchema, keptAs);
        return new Result(liveSchema, keptAs, count(database, liveSchema));
    }

    /**
     * Gives the planner statistics of the bulk-loaded tables before readers see them; without, it may
     * plan a stream read as a scan of the whole table until autovacuum gets round to it.
     */
    private static void analyze(IndexDatabase database, String schema) throws SQLException {
        try (Connection connection = database.connect();
             Statement statement = connection.createStatement()) {
            statement.execute("ANALYZE " + schema + ".events");
            statement.execute("ANALYZE " + schema + ".streams");
        }
    }

    private static void swap(IndexDatabase database, String live, String rebuilt, String keptAs) throws SQLException {
        try (Connection connection = database.connect()) {
            connection.setAutoCommit(false);
            // The live indexers' lock: no batch of theirs is half written while the schemas change names.
            try (PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
                lock.setString(1, IndexWriter.lockName(live));
                lock.execute();
            }
            try (Statement statement = connection.createStatement()) {
                // The data keys are not rebuilt from the log: the live table itself moves to the rebuilt schema,
                // with its rows and any writer waiting on it, so no key is lost and no forgotten key comes back.
                statement.execute("DROP TABLE " + rebuilt + ".data_keys");
                statement.execute("ALTER TABLE " + live + ".data_keys SET SCHEMA " + rebuilt);
                statement.execute("ALTER SCHEMA " + live + " RENAME TO " + keptAs);
                statement.execute("ALTER SCHEMA " + rebuilt + " RENAME TO " + live);
            }
            connection.commit();
        }
    }

    private static long count(IndexDatabase database, String schema) throws SQLException {
        try (Connection connection = database.connect();
             Statement statement = connection.createStatement();
             var rows = statement.executeQuery("SELECT count(*) FROM " + schema + ".events")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static int partitionCount(IndexerConfig config) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(config)) {
            return consumer.partitionsFor(config.topics().events()).size();
        }
    }

    private static KafkaConsumer<byte[], byte[]> consumer(IndexerConfig config) {
        Map<String, Object> props = new HashMap<>(config.kafkaProperties());
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** Records in the events topic now: an upper bound of its events (transaction markers count too). */
    private static long recordsInLog(IndexerConfig config) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(config)) {
            List<TopicPartition> partitions = consumer.partitionsFor(config.topics().events()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            return partitions.stream().mapToLong(p -> end.get(p) - begin.get(p)).sum();
        }
    }

    private static String truncate(String identifier) {
        return identifier.length() <= 63 ? identifier : identifier.substring(0, 63);
    }
}
