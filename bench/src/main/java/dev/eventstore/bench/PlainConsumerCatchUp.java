package dev.eventstore.bench;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * W5's limit: a plain {@code KafkaConsumer} in a group of its own reading the events topic from the first
 * record, with the least a user's consumer does — byte arrays, headers untouched, each record passed to a
 * no-op, committed events only (the gate writes in transactions), the client's defaults otherwise.
 */
final class PlainConsumerCatchUp {

    private static final Duration POLL = Duration.ofMillis(100);

    private PlainConsumerCatchUp() {}

    /** Reads until {@code total} records were seen; returns the records seen and when the first and the last of them were. */
    static CaughtUp read(String bootstrapServers, String topic, long total, Duration wait) {
        Map<String, Object> props = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "bench-plain-consumer-" + UUID.randomUUID(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        long deadline = System.nanoTime() + wait.toNanos();
        long seen = 0;
        long firstEventNanos = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            while (seen < total) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the plain consumer saw " + seen + " of " + total + " records after " + wait);
                }
                ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
                if (seen == 0 && !records.isEmpty()) {
                    firstEventNanos = System.nanoTime();
                }
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    seen += handled(record);
                }
            }
            return new CaughtUp(seen, firstEventNanos, System.nanoTime());
        }
    }

    /** The no-op handler: the record is counted, nothing else. */
    private static int handled(ConsumerRecord<byte[], byte[]> record) {
        return 1;
    }
}
