package dev.eventstore.writer.gate;

import dev.eventstore.schemas.AppendProtocol;
import dev.eventstore.schemas.StoreRecordSerde;
import dev.eventstore.schemas.StoreTopics;
import dev.eventstore.schemas.registry.SchemaRegistryClient;
import dev.eventstore.schemas.registry.StoreRecordCodec;
import dev.eventstore.schemas.store.AppendResult;
import dev.eventstore.schemas.store.AppliedRequest;
import dev.eventstore.schemas.store.StreamState;
import dev.eventstore.schemas.AppendLimits;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.opentelemetry.api.OpenTelemetry;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowBytesStoreSupplier;

/**
 * The gate's topology: append requests → {@link GateProcessor} (stream versions in RocksDB, the request ids
 * decided within the dedup window in a RocksDB store that forgets them file by file, see {@link AppliedRequests})
 * → events and results.
 */
public final class GateTopology {

    static final String VERSIONS_STORE = "stream-versions";
    static final String REQUEST_IDS_STORE = "request-ids";
    /** The window stores of request ids of earlier gates, read after an upgrade ({@link EarlierGatesRequestIds}). */
    static final String APPLIED_STORE = "applied-requests";
    static final String APPLIED_BY_ID_TIME_STORE = "applied-requests-by-id-time";
    static final String EVENTS_SINK = "events";
    static final String RESULTS_SINK = "results";
    private static final String SOURCE = "append-requests";
    private static final String GATE = "gate";

    private GateTopology() {}

    /** A topology over one request and one result partition, as in the topology test driver. */
    public static Topology build(StoreTopics topics, AppendLimits limits, Duration dedupWindow, SchemaRegistryClient registry) {
        return build(topics, limits, dedupWindow, registry, PartitionCounts.single(), Metrics.globalRegistry, "gate");
    }

    /** As the one-partition topology, its decisions traced with {@code openTelemetry}. */
    public static Topology build(StoreTopics topics, AppendLimits limits, Duration dedupWindow, SchemaRegistryClient registry,
                                 MeterRegistry meters, OpenTelemetry openTelemetry) {
        return build(topics, limits, dedupWindow, registry, PartitionCounts.single(), meters, "gate", openTelemetry);
    }

    public static Topology build(StoreTopics topics, AppendLimits limits, Duration dedupWindow, SchemaRegistryClient registry,
                                 PartitionCounts partitions, MeterRegistry meters, String gateName) {
        return build(topics, limits, dedupWindow, registry, partitions, meters, gateName, OpenTelemetry.noop());
    }

    /**
     * @param registry where the protocol records' schemas are registered and looked up by id
     * @param partitions of the request and result topics, to refuse misrouted requests and unknown reply partitions
     * @param meters where the gate's counters go, tagged with {@code gateName}
     * @param openTelemetry traces each decision that carries a trace context (README, "Tracing")
     */
    public static Topology build(StoreTopics topics, AppendLimits limits, Duration dedupWindow, SchemaRegistryClient registry,
                                 PartitionCounts partitions, MeterRegistry meters, String gateName, OpenTelemetry openTelemetry) {
        GateMeters gateMeters = new GateMeters(meters, gateName);
        GateTracing tracing = new GateTracing(openTelemetry, gateMeters);
        StoreRecordCodec<AppendResult> results = AppendProtocol.results(registry, topics);
        RequestIntake intake = new RequestIntake(AppendProtocol.requests(registry, topics), partitions, limits);
        Serializer<RoutedResult> routedResults = (topic, routed) -> results.encode(routed.result());
        StreamPartitioner<String, RoutedResult> toReplyPartition =
                (topic, requestId, routed, count) -> Optional.of(Set.of(routed.replyPartition()));

        Topology topology = new Topology();
        topology.addSource(SOURCE, new StringDeserializer(), new ByteArrayDeserializer(), topics.appendRequests());
        topology.addProcessor(GATE, () -> new GateProcessor(limits, intake, dedupWindow, gateMeters, tracing), SOURCE);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(VERSIONS_STORE),
                Serdes.String(), StoreRecordSerde.<StreamState>of(StreamState.getClassSchema())), GATE);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(REQUEST_IDS_STORE),
                Serdes.String(), appliedRequests()).withLoggingEnabled(RequestIdExpiry.changelogConfig(dedupWindow)), GATE);
        for (String applied : new String[] {APPLIED_STORE, APPLIED_BY_ID_TIME_STORE}) {
            topology.addStateStore(Stores.windowStoreBuilder(appliedRequestsStore(applied, dedupWindow),
                    Serdes.String(), appliedRequests()), GATE);
        }
        topology.addSink(EVENTS_SINK, topics.events(), new StringSerializer(), new ByteArraySerializer(), GATE);
        topology.addSink(RESULTS_SINK, topics.appendResults(), new StringSerializer(), routedResults, toReplyPartition, GATE);
        return topology;
    }

    /**
     * A window store of request ids as earlier gates kept them: RocksDB segments of half the window each (Kafka Streams'
     * rule), so that an id expires with the segment it was filed in, a whole instance dropped at once on the stream
     * thread (BENCHMARKS.md, "the segment roll").
     */
    static WindowBytesStoreSupplier appliedRequestsStore(String name, Duration dedupWindow) {
        return Stores.persistentWindowStore(name, dedupWindow, dedupWindow, false);
    }

    /** Reads the entries of gates from before fingerprints too (issue 21), so an upgrade keeps its window. */
    static StoreRecordSerde<AppliedRequest> appliedRequests() {
        return StoreRecordSerde.of(AppliedRequest.getClassSchema());
    }
}
