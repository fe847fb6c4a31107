package dev.eventstore.reader;

import dev.eventstore.schemas.TraceContext;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * An event as stored: its place in its stream and in the log, its envelope, and its payload in the
 * schema-registry wire format (decode it with an {@code EventCodec} into a generated or generic record).
 *
 * @param globalPosition the event's place in {@code $all}, from the index; empty when delivered by a subscription
 * @param logPosition the event's Kafka partition and offset
 * @param dataJson the payload as JSON (as PostgreSQL prints it as jsonb), from the index's {@code data} column or
 *     rendered from the payload with the registry; empty when delivered by a subscription, not decodable, left out by
 *     the reader ({@code DataJson.LEFT_OUT}), or read by a reader without the registry from an index that keeps no JSON
 */
public record RecordedEvent(String streamId, long version, UUID eventId, String eventType, byte[] payload,
                           Map<String, String> metadata, Optional<String> correlationId, Optional<String> causationId,
                           Instant recordedAt, OptionalLong globalPosition, LogPosition logPosition,
                           Optional<String> dataJson) {

    /** A position in the Kafka log: partition and offset. Ordered per partition only. */
    public record LogPosition(int partition, long offset) {}

    public RecordedEvent {
        metadata = Map.copyOf(metadata);
    }

    /**
     * The W3C trace context the event carries (its {@code traceparent} and {@code tracestate} headers, kept
     * among the metadata, in the index too): the context of the gate's decision in the trace of the append
     * that wrote it. Empty when the append was not traced, or the header is malformed. A consumer starts its
     * span as a child of {@link TraceContext#asParent()} to join the trace (subscriptions do).
     */
    public Optional<TraceContext> traceContext() {
        return TraceContext.of(metadata.get(TraceContext.TRACEPARENT), metadata.get(TraceContext.TRACESTATE))
                .filter(TraceContext::isValid);
    }

    /**
     * Whose personal data the event holds, the key its personal fields are encrypted with: the subject the
     * writer named (header {@code es.subject}, kept in the metadata), else the stream id.
     */
    public String dataSubject() {
        return metadata.getOrDefault(dev.eventstore.schemas.EnvelopeHeaders.SUBJECT, streamId);
    }

    /**
     * Whether this is one of the gate's lifecycle markers ({@code $stream-deleted}, …; see
     * {@link dev.eventstore.schemas.StreamMarker}) rather than an event: its payload is empty, so skip it
     * before decoding. Only subscriptions see markers; index reads never return them.
     */
    public boolean isStreamMarker() {
        return eventType.startsWith(dev.eventstore.schemas.StreamMarker.RESERVED_TYPE_PREFIX);
    }
}
