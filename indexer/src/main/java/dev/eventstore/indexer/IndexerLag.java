package dev.eventstore.indexer;

import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * How far the index trails the log, per partition and in total.
 *
 * @param events per partition: committed records in the log not yet read into the index; partitions
 *     whose lag is not known yet (nothing fetched) are absent
 * @param millis per partition: age of the oldest event not yet indexed (0 when caught up), as far as
 *     this instance has read
 */
public record IndexerLag(Map<TopicPartition, Long> events, Map<TopicPartition, Long> millis) {

    public IndexerLag {
        events = Map.copyOf(events);
        millis = Map.copyOf(millis);
    }

    public long totalEvents() {
        return events.values().stream().mapToLong(Long::longValue).sum();
    }

    public long maxMillis() {
        return millis.values().stream().mapToLong(Long::longValue).max().orElse(0);
    }

    @Override
    public String toString() {
        return totalEvents() + " events, " + maxMillis() + " ms behind " + events;
    }
}
