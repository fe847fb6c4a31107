package dev.eventstore.schemas;

import dev.eventstore.schemas.registry.SchemaRegistryClient;
import dev.eventstore.schemas.registry.StoreRecordCodec;
import dev.eventstore.schemas.store.AppendRequest;
import dev.eventstore.schemas.store.AppendResult;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Utils;

/**
 * The append protocol's contract as code (docs/PROTOCOL.md is the contract for other languages):
 * its version, the registry subjects of its records, and the partition a stream's requests go to.
 */
public final class AppendProtocol {

    /** The protocol version this gate and client follow; carried in every request's protocolVersion. */
    public static final int VERSION = 1;

    /**
     * Every new version of a protocol schema must be readable by every reader of every older one and the
     * other way round: only fields with defaults are added or removed, enums only grow and keep their default.
     */
    public static final String COMPATIBILITY = "FULL_TRANSITIVE";

    private AppendProtocol() {}

    /** The subject of the request schema: Confluent's default TopicNameStrategy, {@code <topic>-value}. */
    public static String requestsSubject(StoreTopics topics) {
        return topics.appendRequests() + "-value";
    }

    /** The subject of the result schema, {@code <topic>-value}. */
    public static String resultsSubject(StoreTopics topics) {
        return topics.appendResults() + "-value";
    }

    public static StoreRecordCodec<AppendRequest> requests(SchemaRegistryClient registry, StoreTopics topics) {
        return StoreRecordCodec.of(registry, requestsSubject(topics), AppendRequest.getClassSchema());
    }

    public static StoreRecordCodec<AppendResult> results(SchemaRegistryClient registry, StoreTopics topics) {
        return StoreRecordCodec.of(registry, resultsSubject(topics), AppendResult.getClassSchema());
    }

    /**
     * Registers both schemas and sets their subjects' compatibility, so that a client may look the
     * schemas up, and a schema change that would break a reader is refused by the registry.
     */
    public static void registerSchemas(SchemaRegistryClient registry, StoreTopics topics) {
        for (StoreRecordCodec<?> codec : new StoreRecordCodec<?>[] {requests(registry, topics), results(registry, topics)}) {
            registry.setCompatibility(codec.subject(), COMPATIBILITY);
            codec.register();
        }
    }

    /**
     * The partition of a stream's append requests: Kafka's Java default for a keyed record,
     * murmur2 of the UTF-8 stream id, made positive, modulo the partition count.
     */
    public static int partitionOf(String streamId, int partitions) {
        return Utils.toPositive(Utils.murmur2(streamId.getBytes(StandardCharsets.UTF_8))) % partitions;
    }
}
