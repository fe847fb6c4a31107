package dev.eventstore.writer.gate;

import dev.eventstore.schemas.StoreTopics;
import dev.eventstore.schemas.AppendLimits;
import dev.eventstore.schemas.registry.SchemaRegistryConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Configuration of a gate instance. Instances with the same {@code applicationId} share the partitions.
 *
 * @param commitInterval how often the exactly-once transaction commits; an append's result is visible
 *     to its client only after the commit, so this bounds latency from below at the cost of more transactions per
 *     second. 10 ms: at a steady 5,000 appends/s on two cores p50 13-16 ms and p99 36-43 ms, against 20-24 and
 *     48-103 at 20 ms; near the box's limit (half of the closed-loop maximum) its tail is no better than 20 ms's
 *     (BENCHMARKS.md, Knobs). Kafka's default 100 ms: p50 ≈ 115 ms
 * @param pollInterval how long a stream thread blocks in poll when idle; at low load it is the floor of
 *     the latency too
 * @param stateDir where RocksDB keeps stream versions; kept across restarts (never cleaned at start)
 * @param dedupWindow how long a request id is remembered: a retry within it returns the original
 *     result. Disk grows with appends per second × window; expired ids are dropped file by file
 *     ({@link RequestIdExpiry})
 * @param kafkaProperties passed to Kafka Streams untouched, after the settings above
 * @param schemaRegistry where the append protocol's schemas are registered: requests are read with
 *     their writer's schema, fetched by id, and results written under the results subject
 */
public record GateConfig(String bootstrapServers, String applicationId, StoreTopics topics, Path stateDir,
                         Duration commitInterval, Duration pollInterval, int streamThreads, Duration dedupWindow,
                         AppendLimits limits, Map<String, Object> kafkaProperties, SchemaRegistryConfig schemaRegistry) {

    public GateConfig {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(schemaRegistry, "schemaRegistry");
        Objects.requireNonNull(applicationId, "applicationId");
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(limits, "limits");
        if (commitInterval.isNegative() || pollInterval.isNegative() || dedupWindow.isNegative() || dedupWindow.isZero()) {
            throw new IllegalArgumentException("intervals must be positive");
        }
        if (streamThreads < 1) {
            throw new IllegalArgumentException("stream threads must be at least 1");
        }
        kafkaProperties = Map.copyOf(kafkaProperties);
    }

    /** The application id of a gate of the default topics. */
    public static final String DEFAULT_APPLICATION_ID = "eventstore-gate";

    /**
     * The application id a gate of {@code topics} takes unless told otherwise: {@link #DEFAULT_APPLICATION_ID}
     * for the default topic prefix, {@code <prefix>-gate} for another, so that stores of different prefixes
     * on one cluster never share a Streams application (its group, state and changelog).
     */
    public static String defaultApplicationId(StoreTopics topics) {
        return topics.prefix().equals(StoreTopics.DEFAULT_PREFIX) ? DEFAULT_APPLICATION_ID : topics.prefix() + "-gate";
    }

    /** Defaults chosen by measurement on a 2-core machine; state under {@code ~/.eventstore/gate-state}. */
    public static GateConfig defaults(String bootstrapServers, String schemaRegistryUrl) {
        return new GateConfig(bootstrapServers, DEFAULT_APPLICATION_ID, StoreTopics.defaults(),
                Path.of(System.getProperty("user.home"), ".eventstore", "gate-state"),
                Duration.ofMillis(10), Duration.ofMillis(10), 1, Duration.ofMinutes(10), AppendLimits.defaults(), Map.of(),
                SchemaRegistryConfig.of(schemaRegistryUrl));
    }

    public GateConfig withSchemaRegistry(SchemaRegistryConfig schemaRegistry) {
        return new GateConfig(bootstrapServers, applicationId, topics, stateDir, commitInterval, pollInterval,
                streamThreads, dedupWindow, limits, kafkaProperties, schemaRegistry);
    }

    public GateConfig withTopics(StoreTopics topics) {
        return new GateConfig(bootstrapServers, applicationId, topics, stateDir, commitInterval, pollInterval,
                streamThreads, dedupWindow, limits, kafkaProperties, schemaRegistry);
    }

    public GateConfig withApplicationId(String applicationId) {
        return new GateConfig(bootstrapServers, applicationId, topics, stateDir, commitInterval, pollInterval,
                streamThreads, dedupWindow, limits, kafkaProperties, schemaRegistry);
    }

    public GateConfig withStateDir(Path stateDir) {
        return new GateConfig(bootstrapServers, applicationId, topics, stateDir, commitInterval, pollInterval,
                streamThreads, dedupWindow, limits, kafkaProperties, schemaRegistry);
    }

    public GateConfig withCommitInterval(Duration commitInterval) {
        return new GateConfig(bootstrapServers, applicationId, topics, stateDir, commitInterval, pollInterval,
                streamThreads, dedupWindow, limits, kafkaProperties, schemaRegistry);
    }

    public GateConfig withKafkaProperties(Map<String, Object> kafkaProperties) {
        return new GateConfig(bootstrapServers, applicationId, topics, stateDir, commitInterval, pollInterval,
                streamThreads, dedupWindow, limits, kafkaProperties, schemaRegistry);
    }

    Properties toStreamsProperties() {
        Map<String, Object> props = new HashMap<>();
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toAbsolutePath().toString());
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitInterval.toMillis());
        props.put(StreamsConfig.POLL_MS_CONFIG, pollInterval.toMillis());
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, streamThreads);
        props.putAll(Failover.streamsProperties(applicationId, stateDir, kafkaProperties));
        props.putAll(kafkaProperties);
        // The user's own RocksDB setter runs inside the gate's, which keeps the request ids' expiry.
        Object userSetter = props.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, GateRocksDbSettings.class);
        if (userSetter != null && !GateRocksDbSettings.isItself(userSetter)) {
            props.put(GateRocksDbSettings.USER_SETTER_CONFIG, userSetter);
        }
        props.put(GateRocksDbSettings.DEDUP_WINDOW_MS_CONFIG, dedupWindow.toMillis());
        Properties properties = new Properties();
        properties.putAll(props);
        return properties;
    }
}
