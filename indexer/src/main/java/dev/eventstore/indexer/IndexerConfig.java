package dev.eventstore.indexer;

import dev.eventstore.schemas.StoreTopics;
import dev.eventstore.schemas.registry.SchemaRegistryConfig;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Configuration of an indexer instance. Instances with the same {@code groupId} share the partitions.
 *
 * @param dbSchema the PostgreSQL schema holding the index tables, created and migrated at start
 * @param maxBatch the most records indexed in one database transaction
 * @param lagLogInterval how often the lag is logged
 * @param kafkaProperties passed to the consumer and the dead-letter producer untouched
 */
public record IndexerConfig(String bootstrapServers, String groupId, StoreTopics topics, Database database,
                            SchemaRegistryConfig schemaRegistry, int maxBatch, Duration lagLogInterval,
                            Map<String, Object> kafkaProperties) {

    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    /** Where the index lives. */
    public record Database(String jdbcUrl, String user, String password, String schema) {
        public Database {
            Objects.requireNonNull(jdbcUrl, "jdbcUrl");
            Objects.requireNonNull(schema, "schema");
            if (!IDENTIFIER.matcher(schema).matches()) {
                throw new IllegalArgumentException("database schema must be a lower-case SQL identifier, not '" + schema + "'");
            }
        }
    }

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

    public static IndexerConfig of(String bootstrapServers, Database database, String schemaRegistryUrl) {
        return new IndexerConfig(bootstrapServers, "eventstore-indexer", StoreTopics.defaults(), database,
                SchemaRegistryConfig.of(schemaRegistryUrl), 5_000, Duration.ofSeconds(30), Map.of());
    }

    public IndexerConfig withTopics(StoreTopics topics) {
        return new IndexerConfig(bootstrapServers, groupId, topics, database, schemaRegistry, maxBatch, lagLogInterval, kafkaProperties);
    }

    public IndexerConfig withGroupId(String groupId) {
        return new IndexerConfig(bootstrapServers, groupId, topics, database, schemaRegistry, maxBatch, lagLogInterval, kafkaProperties);
    }

    public IndexerConfig withSchemaRegistry(SchemaRegistryConfig schemaRegistry) {
        return new IndexerConfig(bootstrapServers, groupId, topics, database, schemaRegistry, maxBatch, lagLogInterval, kafkaProperties);
    }

    public IndexerConfig withKafkaProperties(Map<String, Object> kafkaProperties) {
        return new IndexerConfig(bootstrapServers, groupId, topics, database, schemaRegistry, maxBatch, lagLogInterval, kafkaProperties);
    }
}
