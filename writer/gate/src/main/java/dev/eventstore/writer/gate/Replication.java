package dev.eventstore.writer.gate;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The replication of the store's topics and of the gate's own (Kafka Streams changelogs), decided from
 * the settings and the cluster. A pure function: no Kafka call.
 *
 * @param factor replicas of each topic
 * @param minInsyncReplicas {@code min.insync.replicas} set on each topic; empty: the brokers' default
 */
public record Replication(short factor, Optional<Integer> minInsyncReplicas) {

    /** A cluster of this size or larger is treated as production: three replicas, two in sync. */
    static final int PRODUCTION_BROKERS = 3;

    /**
     * @param brokers brokers in the cluster
     * @param brokerDefault the brokers' {@code default.replication.factor} when they set it explicitly
     * @throws GateException when the settings would leave acknowledged events on one broker of a cluster
     *     of three or more, or ask for more replicas than there are brokers
     */
    static Replication decide(TopicSettings settings, int brokers, OptionalInt brokerDefault) {
        short factor = settings.replicationFactor().orElseGet(() -> (short) (brokerDefault.isPresent()
                ? Math.min(brokerDefault.getAsInt(), brokers) : brokers >= PRODUCTION_BROKERS ? PRODUCTION_BROKERS : 1));
        String source = settings.replicationFactor().isPresent() ? "topic.replication.factor"
                : brokerDefault.isPresent() ? "the brokers' default.replication.factor" : "the default";
        if (factor > brokers) {
            throw new GateException("a replication factor of " + factor + " (" + source + ") needs " + factor
                    + " brokers, but the cluster has " + brokers);
        }
        if (factor == 1 && brokers >= PRODUCTION_BROKERS) {
            throw new GateException("a replication factor of 1 (" + source + ") on a cluster of " + brokers + " brokers would keep"
                    + " each acknowledged event on one broker only: losing that broker's disk loses them. Set"
                    + " topic.replication.factor to 3 (or leave it unset)");
        }
        Optional<Integer> minIsr = settings.minInsyncReplicas()
                .or(() -> factor >= PRODUCTION_BROKERS ? Optional.of(2) : Optional.empty());
        if (minIsr.isPresent() && minIsr.get() > factor) {
            throw new GateException("min.insync.replicas " + minIsr.get() + " is more than the replication factor " + factor
                    + ": every write would fail");
        }
        return new Replication(factor, minIsr);
    }

    /** The settings of each topic the gate creates. */
    Map<String, String> topicConfig() {
        return minInsyncReplicas.map(min -> Map.of(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(min))).orElse(Map.of());
    }

    /**
     * Kafka Streams settings giving its internal topics (the gate's changelogs) the same replication: by
     * default Streams takes the brokers' {@code default.replication.factor}, which is 1 unless set.
     */
    public Map<String, Object> streamsProperties() {
        Map<String, Object> props = new HashMap<>();
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) factor);
        minInsyncReplicas.ifPresent(min -> props.put(StreamsConfig.topicPrefix(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG), min));
        return props;
    }
}
