package dev.eventstore.reader.subscription;

import dev.eventstore.schemas.StoreTopics;
import java.util.Map;
import java.util.Objects;

/**
 * A subscription: a Kafka consumer group on the events topic. Members with the same {@code groupId}
 * share the partitions (competing consumers).
 *
 * @param deadLetterTopic where events the handler gives up on are parked (default: the store's
 *     dead-letter topic; the parked record names the group in a header)
 * @param maxBufferedEvents events read ahead of the handler at most; past it the member pauses
 *     fetching until the handler has worked the buffer down to half
 * @param kafkaProperties passed to the consumer and the dead-letter producer untouched
 */
public record SubscriptionConfig(String bootstrapServers, String groupId, StoreTopics topics, StartFrom startFrom,
                                 EventFilter filter, RetryPolicy retryPolicy, String deadLetterTopic,
                                 int maxBufferedEvents, Map<String, Object> kafkaProperties) {

    public SubscriptionConfig {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(startFrom, "startFrom");
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(retryPolicy, "retryPolicy");
        Objects.requireNonNull(deadLetterTopic, "deadLetterTopic");
        if (maxBufferedEvents < 1) {
            throw new IllegalArgumentException("maxBufferedEvents must be at least 1");
        }
        kafkaProperties = Map.copyOf(kafkaProperties);
    }

    /** From the beginning, every event, default retries, 2,000 events buffered at most. */
    public static SubscriptionConfig of(String bootstrapServers, String groupId) {
        StoreTopics topics = StoreTopics.defaults();
        return new SubscriptionConfig(bootstrapServers, groupId, topics, StartFrom.beginning(), EventFilter.all(),
                RetryPolicy.defaults(), topics.deadLetters(), 2_000, Map.of());
    }

    /** Also points the dead-letter topic at the new prefix's. */
    public SubscriptionConfig withTopics(StoreTopics topics) {
        return new SubscriptionConfig(bootstrapServers, groupId, topics, startFrom, filter, retryPolicy,
                topics.deadLetters(), maxBufferedEvents, kafkaProperties);
    }

    public SubscriptionConfig withStartFrom(StartFrom startFrom) {
        return new SubscriptionConfig(bootstrapServers, groupId, topics, startFrom, filter, retryPolicy,
                deadLetterTopic, maxBufferedEvents, kafkaProperties);
    }

    public SubscriptionConfig withFilter(EventFilter filter) {
        return new SubscriptionConfig(bootstrapServers, groupId, topics, startFrom, filter, retryPolicy,
                deadLetterTopic, maxBufferedEvents, kafkaProperties);
    }

    public SubscriptionConfig withRetryPolicy(RetryPolicy retryPolicy) {
        return new SubscriptionConfig(bootstrapServers, groupId, topics, startFrom, filter, retryPolicy,
                deadLetterTopic, maxBufferedEvents, kafkaProperties);
    }

    public SubscriptionConfig withDeadLetterTopic(String deadLetterTopic) {
        return new SubscriptionConfig(bootstrapServers, groupId, topics, startFrom, filter, retryPolicy,
                deadLetterTopic, maxBufferedEvents, kafkaProperties);
    }

    public SubscriptionConfig withMaxBufferedEvents(int maxBufferedEvents) {
        return new SubscriptionConfig(bootstrapServers, groupId, topics, startFrom, filter, retryPolicy,
                deadLetterTopic, maxBufferedEvents, kafkaProperties);
    }

    public SubscriptionConfig withKafkaProperties(Map<String, Object> kafkaProperties) {
        return new SubscriptionConfig(bootstrapServers, groupId, topics, startFrom, filter, retryPolicy,
                deadLetterTopic, maxBufferedEvents, kafkaProperties);
    }
}
