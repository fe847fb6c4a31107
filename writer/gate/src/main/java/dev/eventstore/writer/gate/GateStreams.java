package dev.eventstore.writer.gate;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.JmxReporter;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;

/**
 * The gate's Kafka Streams, without the metrics that only its stream thread may read. With transactional state stores
 * (KIP-892, on by default in the gate: {@link Failover}) every store has an {@code uncommitted-bytes} gauge that reads
 * the store's RocksDB write batch without a lock, while the stream thread closes that batch at every commit and when
 * the store closes (a task given away, the gate stopping). Read from another thread at such a moment — Micrometer's
 * refresh, a Prometheus scrape, a JMX agent — it crashed the whole JVM with a SIGSEGV in {@code WriteBatch.getDataSize}
 * (Kafka 4.4.0: at the end of a bench run, and in {@code GateMetricsReadTest} before this class). So the gate leaves
 * those gauges out of {@link #metrics()}, which Micrometer binds, and the state stores' MBeans out of JMX.
 */
final class GateStreams extends KafkaStreams {

    static final String UNCOMMITTED_BYTES = "uncommitted-bytes";
    /** JMX leaves out whole MBeans, not single attributes: the state stores' ones go, with the gauge. */
    static final String STATE_STORE_MBEANS = "kafka\\.streams:type=stream-state-metrics,.*";

    GateStreams(Topology topology, Properties properties) {
        super(topology, withStateStoreMBeansExcluded(properties));
    }

    @Override
    public Map<MetricName, ? extends Metric> metrics() {
        Map<MetricName, Metric> readable = new LinkedHashMap<>();
        super.metrics().forEach((name, metric) -> {
            if (readableFromAnyThread(name)) {
                readable.put(name, metric);
            }
        });
        return Collections.unmodifiableMap(readable);
    }

    static boolean readableFromAnyThread(MetricName name) {
        return !name.name().equals(UNCOMMITTED_BYTES);
    }

    /**
     * The settings of an admin client of the gate's own, derived from its Streams properties as Streams derives its
     * admin client's, without logging every value again as a new {@link StreamsConfig} does.
     */
    static Map<String, Object> adminConfigs(Properties properties, String clientId) {
        return new StreamsConfig(properties, false) {}.getAdminConfigs(clientId);
    }

    /** The properties with the state stores' MBeans excluded from JMX, besides whatever the user excluded. */
    static Properties withStateStoreMBeansExcluded(Properties properties) {
        Properties result = new Properties();
        result.putAll(properties);
        Object configured = properties.get(JmxReporter.EXCLUDE_CONFIG);
        result.put(JmxReporter.EXCLUDE_CONFIG, configured == null || configured.toString().isBlank()
                ? STATE_STORE_MBEANS : "(" + configured + ")|" + STATE_STORE_MBEANS);
        return result;
    }
}
