package dev.eventstore.indexer;

import dev.eventstore.schemas.IndexDatabase;
import dev.eventstore.schemas.StoreTopics;
import dev.eventstore.schemas.registry.SchemaRegistryConfig;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Configuration of an indexer instance. Instances with the same {@code groupId} share the partitions.
 *
 * @param dbSchema the PostgreSQL schema holding the index tables, created and migrated at start
 * @param maxBatch the most records indexed in one database transaction
 * @param lagLogInterval how often the lag is logged
 * @param kafkaProperties passed to the consumer and the dead-letter producer untouched
 * @param dataJson whether the events table's {@code data} column gets each payload as jsonb, for SQL queries of
 *     payloads' contents (setting {@code index.data.json}); off by default: the indexer then does not decode payloads,
 *     PostgreSQL stores no second copy of them, and readers render the same JSON from the payload when asked
 */
public record IndexerConfig(String bootstrapServers, String groupId, StoreTopics topics, IndexDatabase database,
                            SchemaRegistryConfig schemaRegistry, int maxBatch, Duration lagLogInterval,
                            Map<String, Object> kafkaProperties, boolean dataJson) {

    public IndexerConfig {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(schemaRegistry, "schemaRegistry");
        if (maxBatch < 1) {
            throw new IllegalArgumentException("max batch must be at least 1");
        }
        kafkaProperties = Map.copyOf(kafkaProperties);
    }

    /** Without the payloads' JSON in the index (the default). */
    public IndexerConfig(String bootstrapServers, String groupId, StoreTopics topics, IndexDatabase database,
                         SchemaRegistryConfig schemaRegistry, int maxBatch, Duration lagLogInterval,
                         Map<String, Object> kafkaProperties) {
        this(bootstrapServers, groupId, topics, database, schemaRegistry, maxBatch, lagLogInterval, kafkaProperties, false);
    }

    /** The consumer group of an indexer of the default topics. */
    public static final String DEFAULT_GROUP_ID = "eventstore-indexer";

    /**
     * The group an indexer of {@code topics} joins unless told otherwise: {@link #DEFAULT_GROUP_ID} for the
     * default topic prefix, {@code <prefix>-indexer} for another.
     */
    public static String defaultGroupId(StoreTopics topics) {
        return topics.prefix().equals(StoreTopics.DEFAULT_PREFIX) ? DEFAULT_GROUP_ID : topics.prefix() + "-indexer";
    }

    public static IndexerConfig of(String bootstrapServers, IndexDatabase database, String schemaRegistryUrl) {
        return new IndexerConfig(bootstrapServers, DEFAULT_GROUP_ID, StoreTopics.defaults(), database,
                SchemaRegistryConfig.of(schemaRegistryUrl), 5_000, Duration.ofSeconds(30), Map.of());
    }

    public IndexerConfig withTopics(StoreTopics topics) {
        return new IndexerConfig(bootstrapServers, groupId, topics, database, schemaRegistry, maxBatch, lagLogInterval, kafkaProperties, dataJson);
    }

    public IndexerConfig withGroupId(String groupId) {
        return new IndexerConfig(bootstrapServers, groupId, topics, database, schemaRegistry, maxBatch, lagLogInterval, kafkaProperties, dataJson);
    }

    public IndexerConfig withSchemaRegistry(SchemaRegistryConfig schemaRegistry) {
        return new IndexerConfig(bootstrapServers, groupId, topics, database, schemaRegistry, maxBatch, lagLogInterval, kafkaProperties, dataJson);
    }

    public IndexerConfig withKafkaProperties(Map<String, Object> kafkaProperties) {
        return new IndexerConfig(bootstrapServers, groupId, topics, database, schemaRegistry, maxBatch, lagLogInterval, kafkaProperties, dataJson);
    }

    /** With ({@code true}) or without the payloads' JSON in the events table's {@code data} column. */
    public IndexerConfig withDataJson(boolean dataJson) {
        return new IndexerConfig(bootstrapServers, groupId, topics, database, schemaRegistry, maxBatch, lagLogInterval, kafkaProperties, dataJson);
    }
}
