package dev.eventstore.reader.subscription;

import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * How far a subscription member trails the log, per partition it owns and in total.
 *
 * @param events per owned partition: committed events in the log not yet handled (or skipped by the
 *     filter); partitions whose end is not known yet (nothing fetched) are absent
 */
public record SubscriptionLag(Map<TopicPartition, Long> events) {

    public SubscriptionLag {
        events = Map.copyOf(events);
    }

    public long totalEvents() {
        return events.values().stream().mapToLong(Long::longValue).sum();
    }

    @Override
    public String toString() {
        return totalEvents() + " events behind " + events;
    }
}
