package dev.eventstore.reader.subscription;

import dev.eventstore.schemas.StoreTopics;
import java.util.Map;
import java.util.Objects;

/**
 * A subscription: a Kafka consumer group on the events topic. Members with the same {@code groupId}
 * share the partitions (competing consumers).
 *
 * @param kafkaProperties passed to the consumer untouched
 */
public record SubscriptionConfig(String bootstrapServers, String groupId, StoreTopics topics, StartFrom startFrom,
                                 Map<String, Object> kafkaProperties) {

    public SubscriptionConfig {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(startFrom, "startFrom");
        kafkaProperties = Map.copyOf(kafkaProperties);
    }

    public static SubscriptionConfig of(String bootstrapServers, String groupId) {
        return new SubscriptionConfig(bootstrapServers, groupId, StoreTopics.defaults(), StartFrom.BEGINNING, Map.of());
    }

    public SubscriptionConfig withTopics(StoreTopics topics) {
        return new SubscriptionConfig(bootstrapServers, groupId, topics, startFrom, kafkaProperties);
    }

    public SubscriptionConfig withStartFrom(StartFrom startFrom) {
        return new SubscriptionConfig(bootstrapServers, groupId, topics, startFrom, kafkaProperties);
    }
}
