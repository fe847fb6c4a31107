package dev.eventstore.launcher;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * How far a reader of a topic (the indexer, a subscription group) trails its committed end, per partition:
 * in offsets (events and transaction markers), and in time as the age of the oldest event it has not consumed yet.
 *
 * @param partitions per partition of the topic, in partition order
 */
record LogLag(Map<Integer, PartitionLag> partitions) {

    /** @param position the reader's next offset (0 when it has none yet) */
    record PartitionLag(long position, long end, Optional<Instant> oldestPending) {
        long behind() {
            return Math.max(0, end - position);
        }
    }

    /** Offsets not consumed yet: the events, plus the transaction markers between them. */
    long totalOffsets() {
        return partitions.values().stream().mapToLong(PartitionLag::behind).sum();
    }

    /** Age of the oldest pending event over all partitions; zero when caught up. */
    Duration maxAge(Instant now) {
        return partitions.values().stream().flatMap(p -> p.oldestPending().stream())
                .map(oldest -> Duration.between(oldest, now)).max(Duration::compareTo).orElse(Duration.ZERO);
    }

    /**
     * @param positions the reader's next offset per partition; partitions absent are read from the start
     * @param consumerProps Kafka client settings for the consumer that looks up the oldest pending events
     */
    static LogLag measure(Admin admin, Map<String, Object> consumerProps, String topic, Map<TopicPartition, Long> positions)
            throws ExecutionException, InterruptedException {
        List<TopicPartition> partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()
                .stream().map(info -> new TopicPartition(topic, info.partition())).toList();
        Function<OffsetSpec, Map<TopicPartition, Long>> offsets = spec -> {
            try {
                return admin.listOffsets(partitions.stream().collect(Collectors.toMap(p -> p, p -> spec)),
                                new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get()
                        .entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
            } catch (InterruptedException | ExecutionException e) {
                throw new IllegalStateException("listing the offsets of " + topic + " failed: " + e, e);
            }
        };
        Map<TopicPartition, Long> ends = offsets.apply(OffsetSpec.latest());
        Map<TopicPartition, Long> starts = offsets.apply(OffsetSpec.earliest());
        Map<Integer, PartitionLag> lag = new TreeMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(lookupProperties(consumerProps),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            for (TopicPartition partition : partitions) {
                long position = Math.max(positions.getOrDefault(partition, 0L), starts.get(partition));
                long end = ends.get(partition);
                Optional<Instant> oldest = position < end ? timestampAt(consumer, partition, position) : Optional.empty();
                lag.put(partition.partition(), new PartitionLag(position, end, oldest));
            }
        }
        return new LogLag(lag);
    }

    private static Optional<Instant> timestampAt(KafkaConsumer<byte[], byte[]> consumer, TopicPartition partition, long offset) {
        consumer.assign(List.of(partition));
        consumer.seek(partition, offset);
        for (int attempt = 0; attempt < 10; attempt++) {
            List<ConsumerRecord<byte[], byte[]>> records = consumer.poll(Duration.ofMillis(300)).records(partition);
            if (!records.isEmpty()) {
                return Optional.of(Instant.ofEpochMilli(records.get(0).timestamp()));
            }
        }
        return Optional.empty();
    }

    private static Map<String, Object> lookupProperties(Map<String, Object> settings) {
        Map<String, Object> props = new HashMap<>(settings);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        return props;
    }
}
