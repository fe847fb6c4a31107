package dev.eventstore.writer.gate;

import java.util.Optional;

/**
 * How the gate creates the store's topics when they are missing.
 *
 * @param partitions partitions of each topic (append requests and events must have the same count)
 * @param replicationFactor replicas of each topic; empty: 3 on a cluster of three brokers or more (or the
 *     brokers' {@code default.replication.factor} when they set one), else 1
 * @param minInsyncReplicas the topics' {@code min.insync.replicas}; empty: 2 when replicated three times
 *     or more, else the brokers' default
 */
public record TopicSettings(int partitions, Optional<Short> replicationFactor, Optional<Integer> minInsyncReplicas) {

    public TopicSettings {
        if (partitions < 1) {
            throw new IllegalArgumentException("topics need at least one partition, not " + partitions);
        }
        replicationFactor.ifPresent(factor -> {
            if (factor < 1) {
                throw new IllegalArgumentException("the replication factor must be at least 1, not " + factor);
            }
        });
        minInsyncReplicas.ifPresent(min -> {
            if (min < 1 || replicationFactor.isPresent() && min > replicationFactor.get()) {
                throw new IllegalArgumentException("min.insync.replicas must be between 1 and the replication factor, not " + min);
            }
        });
    }

    /** Replication chosen from the cluster's size: the safe default. */
    public static TopicSettings of(int partitions) {
        return new TopicSettings(partitions, Optional.empty(), Optional.empty());
    }

    public TopicSettings withReplicationFactor(short factor) {
        return new TopicSettings(partitions, Optional.of(factor), minInsyncReplicas);
    }

    public TopicSettings withMinInsyncReplicas(int min) {
        return new TopicSettings(partitions, replicationFactor, Optional.of(min));
    }
}
