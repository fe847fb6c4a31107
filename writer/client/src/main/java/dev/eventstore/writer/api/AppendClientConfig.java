package dev.eventstore.writer.api;

import dev.eventstore.schemas.AppendLimits;
import dev.eventstore.schemas.StoreTopics;
import dev.eventstore.schemas.registry.SchemaRegistryConfig;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Configuration of an {@link AppendClient}.
 *
 * @param defaultTimeout how long an append waits for its result unless its options say otherwise
 * @param autoRegisterSchemas register an event's schema on first use (the registry checks the subject's
 *     compatibility); when false the schema must already be registered. The same goes for the append
 *     request's schema, which the gate registers when it starts
 * @param kafkaProperties passed to the producer and the reply consumer untouched (security settings, …)
 */
public record AppendClientConfig(String bootstrapServers, SchemaRegistryConfig schemaRegistry, StoreTopics topics,
                                 Duration defaultTimeout, boolean autoRegisterSchemas, AppendLimits limits,
                                 Map<String, Object> kafkaProperties) {

    public AppendClientConfig {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(schemaRegistry, "schemaRegistry");
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(limits, "limits");
        if (defaultTimeout.isNegative() || defaultTimeout.isZero()) {
            throw new IllegalArgumentException("default timeout must be positive");
        }
        kafkaProperties = Map.copyOf(kafkaProperties);
    }

    public static AppendClientConfig of(String bootstrapServers, String schemaRegistryUrl) {
        return new AppendClientConfig(bootstrapServers, SchemaRegistryConfig.of(schemaRegistryUrl), StoreTopics.defaults(),
                Duration.ofSeconds(10), true, AppendLimits.defaults(), Map.of());
    }

    public AppendClientConfig withTopics(StoreTopics topics) {
        return new AppendClientConfig(bootstrapServers, schemaRegistry, topics, defaultTimeout, autoRegisterSchemas, limits, kafkaProperties);
    }

    public AppendClientConfig withDefaultTimeout(Duration defaultTimeout) {
        return new AppendClientConfig(bootstrapServers, schemaRegistry, topics, defaultTimeout, autoRegisterSchemas, limits, kafkaProperties);
    }

    public AppendClientConfig withAutoRegisterSchemas(boolean autoRegisterSchemas) {
        return new AppendClientConfig(bootstrapServers, schemaRegistry, topics, defaultTimeout, autoRegisterSchemas, limits, kafkaProperties);
    }

    public AppendClientConfig withKafkaProperties(Map<String, Object> kafkaProperties) {
        return new AppendClientConfig(bootstrapServers, schemaRegistry, topics, defaultTimeout, autoRegisterSchemas, limits, kafkaProperties);
    }
}
