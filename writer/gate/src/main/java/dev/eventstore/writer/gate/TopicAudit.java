package dev.eventstore.writer.gate;

import dev.eventstore.schemas.StoreTopics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.TopicConfig;

/**
 * What is unsafe about the store's existing topics, found at the gate's start. A pure function of what
 * the cluster reports: errors stop the gate (they would lose events or break the version decision),
 * warnings are logged loudly (they weaken durability but lose nothing by themselves).
 */
record TopicAudit(List<String> errors, List<String> warnings) {

    /** What the cluster says of one topic. */
    record Found(int partitions, int minReplicas, Map<String, String> config) {
        String get(String key) {
            return config.getOrDefault(key, "");
        }
    }

    TopicAudit {
        errors = List.copyOf(errors);
        warnings = List.copyOf(warnings);
    }

    static TopicAudit of(StoreTopics topics, Map<String, Found> found, int brokers, Replication wanted) {
        List<String> errors = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        Found events = found.get(topics.events());
        if (events != null) {
            // The log of record: anything that deletes or compacts old events loses acknowledged appends.
            if (!"-1".equals(events.get(TopicConfig.RETENTION_MS_CONFIG))) {
                errors.add(topics.events() + " has retention.ms=" + events.get(TopicConfig.RETENTION_MS_CONFIG)
                        + ": the log of record must keep every event (retention.ms=-1)");
            }
            if (!"-1".equals(events.get(TopicConfig.RETENTION_BYTES_CONFIG))) {
                errors.add(topics.events() + " has retention.bytes=" + events.get(TopicConfig.RETENTION_BYTES_CONFIG)
                        + ": the log of record must keep every event (retention.bytes=-1)");
            }
            if (events.get(TopicConfig.CLEANUP_POLICY_CONFIG).contains(TopicConfig.CLEANUP_POLICY_COMPACT)) {
                errors.add(topics.events() + " has cleanup.policy=" + events.get(TopicConfig.CLEANUP_POLICY_CONFIG)
                        + ": compaction would keep only the last event of each stream (use cleanup.policy=delete, retention -1)");
            }
        }
        Found requests = found.get(topics.appendRequests());
        if (events != null && requests != null && events.partitions() != requests.partitions()) {
            errors.add(topics.appendRequests() + " has " + requests.partitions() + " partitions but " + topics.events() + " has "
                    + events.partitions() + ": they must be equal, a stream's versions are decided on its events' partition");
        }
        found.forEach((name, topic) -> {
            if (topic.minReplicas() < wanted.factor()) {
                warnings.add(name + " has " + topic.minReplicas() + " replica(s) where " + wanted.factor() + " are wanted on this cluster of "
                        + brokers + " brokers" + (topic.minReplicas() == 1 ? ": ONE BROKER'S LOSS LOSES ACKNOWLEDGED DATA" : "")
                        + "; add replicas with kafka-reassign-partitions");
            }
            String minIsr = topic.get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG);
            if (topic.minReplicas() >= Replication.PRODUCTION_BROKERS && "1".equals(minIsr)) {
                warnings.add(name + " has min.insync.replicas=1: a write is acknowledged by one replica alone, and lost with it;"
                        + " set it to 2");
            }
            if (!minIsr.isEmpty() && topic.minReplicas() > 1 && Integer.parseInt(minIsr) >= topic.minReplicas()) {
                warnings.add(name + " has min.insync.replicas=" + minIsr + " with " + topic.minReplicas()
                        + " replicas: one broker down stops every append to it");
            }
        });
        return new TopicAudit(errors, warnings);
    }
}
