package dev.eventstore.writer.load;

import dev.eventstore.schemas.EnvelopeHeaders;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * What the log holds of a load's acknowledged appends, and how available the store was meanwhile.
 *
 * @param longestWithoutAck the longest interval in which no writer had an append acknowledged: the
 *     store's unavailability window as every writer saw it
 * @param longestAppend the longest time one append took from its first send to its acknowledgement
 *     (retries included): the longest stall of one writer
 */
public record LoadVerdict(int acknowledged, int present, int lost, int duplicated, int gaps, Map<String, Long> errorsByType,
                          Duration longestWithoutAck, Duration longestAppend) {

    private static final Duration READ_WAIT = Duration.ofSeconds(120);

    public LoadVerdict {
        errorsByType = Map.copyOf(errorsByType);
    }

    /** Reads the events topic to its end (read_committed) and compares it with the stopped load's acknowledgements. */
    public static LoadVerdict of(ExactVersionLoad load, String bootstrapServers, String eventsTopic) {
        Map<String, List<ConsumerRecord<String, byte[]>>> log = readLog(bootstrapServers, eventsTopic);
        Map<String, Map<Long, UUID>> acked = new HashMap<>();
        load.acks().forEach(ack -> acked.computeIfAbsent(ack.stream(), s -> new HashMap<>()).put(ack.version(), ack.eventId()));
        int lost = 0;
        int duplicated = 0;
        int gaps = 0;
        int present = 0;
        for (var stream : acked.entrySet()) {
            Map<Long, UUID> versions = new HashMap<>();
            Set<UUID> eventIds = new HashSet<>();
            for (ConsumerRecord<String, byte[]> event : log.getOrDefault(stream.getKey(), List.of())) {
                present++;
                long version = Long.parseLong(EnvelopeHeaders.require(event.headers(), EnvelopeHeaders.VERSION));
                UUID eventId = UUID.fromString(EnvelopeHeaders.require(event.headers(), EnvelopeHeaders.EVENT_ID));
                if (versions.put(version, eventId) != null || !eventIds.add(eventId)) {
                    duplicated++;
                }
            }
            for (long v = 1; v <= versions.size(); v++) {
                if (!versions.containsKey(v)) {
                    gaps++;
                }
            }
            for (var ack : stream.getValue().entrySet()) {
                if (!ack.getValue().equals(versions.get(ack.getKey()))) {
                    lost++;
                }
            }
        }
        return new LoadVerdict(load.acknowledged(), present, lost, duplicated, gaps, load.errorsByType(),
                longestWithoutAck(load.acks(), Long.MIN_VALUE, Long.MAX_VALUE), longestAppend(load.acks(), Long.MIN_VALUE, Long.MAX_VALUE));
    }

    /** The longest gap between consecutive acknowledgements that ends within [{@code from}, {@code to}] (nanoTime). */
    public static Duration longestWithoutAck(List<ExactVersionLoad.Ack> acks, long from, long to) {
        long[] times = acks.stream().mapToLong(ExactVersionLoad.Ack::ackedNanos).sorted().toArray();
        long longest = 0;
        for (int i = 1; i < times.length; i++) {
            if (times[i] >= from && times[i] <= to) {
                longest = Math.max(longest, times[i] - times[i - 1]);
            }
        }
        return Duration.ofNanos(longest);
    }

    /** The longest append (first send to acknowledgement) among those acknowledged within [{@code from}, {@code to}]. */
    public static Duration longestAppend(List<ExactVersionLoad.Ack> acks, long from, long to) {
        return Duration.ofNanos(acks.stream().filter(ack -> ack.ackedNanos() >= from && ack.ackedNanos() <= to)
                .mapToLong(ack -> ack.ackedNanos() - ack.sentNanos()).max().orElse(0));
    }

    @Override
    public String toString() {
        return "acknowledged " + acknowledged + ", present " + present + ", lost " + lost + ", duplicated " + duplicated
                + ", version gaps " + gaps + ", client errors " + errorsByType + ", longest interval without an acknowledgement "
                + seconds(longestWithoutAck) + ", longest append " + seconds(longestAppend);
    }

    public static String seconds(Duration duration) {
        return String.format(java.util.Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
    }

    /** Every event in the events topic, read_committed, up to the end of the log, by stream in log order. */
    public static Map<String, List<ConsumerRecord<String, byte[]>>> readLog(String bootstrapServers, String eventsTopic) {
        Map<String, Object> props = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        Map<String, List<ConsumerRecord<String, byte[]>>> byStream = new HashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(eventsTopic).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + READ_WAIT.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the events topic was not read to its end within " + READ_WAIT);
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    byStream.computeIfAbsent(record.key(), k -> new ArrayList<>()).add(record);
                }
            }
        }
        return byStream;
    }
}
