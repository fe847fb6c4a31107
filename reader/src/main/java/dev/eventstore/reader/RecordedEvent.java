package dev.eventstore.reader;

import dev.eventstore.schemas.TraceContext;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * An event as stored: its place in its stream and in the log, its envelope, and its payload in the
 * schema-registry wire format (decode it with an {@code EventCodec} into a generated or generic record).
 *
 * <p>Its accessors are those of a record with the constructor's components, and two events are equal when
 * every component is (the payload array by identity, as in a record). It is not a record because an event read
 * off the log ({@link #fromLog}, as subscriptions deliver them) reads its envelope when first asked for: a
 * catch-up hands hundreds of thousands of events a second to handlers, and reading every header of every
 * event up front (Kafka's client builds a string of each header's name on request) was most of a
 * subscription's own work. Either way an event is immutable, and safe to hand to other threads.
 *
 * <p>Components: {@code globalPosition} is the event's place in {@code $all}, from the index, empty when
 * delivered by a subscription; {@code logPosition} its Kafka partition and offset; {@code dataJson} the
 * payload as JSON (as PostgreSQL prints it as jsonb), from the index's {@code data} column or rendered from the
 * payload with the registry; empty when delivered by a subscription, not decodable, left out by the reader
 * ({@code DataJson.LEFT_OUT}), or read by a reader without the registry from an index that keeps no JSON;
 * {@code degraded} why the index holds a form of the event other than as written (its JSON left out, a text stored
 * escaped: a U+0000 PostgreSQL cannot store, bytes that are not UTF-8), from the index's {@code degraded} column; empty
 * when every form is faithful, and for an event delivered by a subscription (the log holds it as written).
 */
public final class RecordedEvent {

    /** A position in the Kafka log: partition and offset. Ordered per partition only. */
    public record LogPosition(int partition, long offset) {}

    /** The components, as a record: equality, hash and string form are a record's. */
    private record Values(String streamId, long version, UUID eventId, String eventType, byte[] payload,
                          Map<String, String> metadata, Optional<String> correlationId, Optional<String> causationId,
                          Instant recordedAt, OptionalLong globalPosition, LogPosition logPosition,
                          Optional<String> dataJson, Optional<String> degraded) {
        Values {
            metadata = Map.copyOf(metadata);
        }
    }

    /** The components of an event built from them; null for one read off the log. */
    private final Values given;
    /**
     * The components of an event read off the log, once read. Written before {@link #record} is dropped, so a
     * thread that finds the record gone finds them; two threads racing read equal ones.
     */
    private volatile Values decoded;
    /**
     * The record the envelope is read from, until it is: its headers not read yet are views of the whole
     * fetch response, which an event a handler keeps must not hold on to.
     */
    private volatile ConsumerRecord<?, byte[]> record;

    public RecordedEvent(String streamId, long version, UUID eventId, String eventType, byte[] payload,
                         Map<String, String> metadata, Optional<String> correlationId, Optional<String> causationId,
                         Instant recordedAt, OptionalLong globalPosition, LogPosition logPosition,
                         Optional<String> dataJson, Optional<String> degraded) {
        this.given = new Values(streamId, version, eventId, eventType, payload, metadata, correlationId, causationId,
                recordedAt, globalPosition, logPosition, dataJson, degraded);
    }

    /** An event whose every form is faithful: no {@link #degraded()} reason. */
    public RecordedEvent(String streamId, long version, UUID eventId, String eventType, byte[] payload,
                         Map<String, String> metadata, Optional<String> correlationId, Optional<String> causationId,
                         Instant recordedAt, OptionalLong globalPosition, LogPosition logPosition,
                         Optional<String> dataJson) {
        this(streamId, version, eventId, eventType, payload, metadata, correlationId, causationId, recordedAt,
                globalPosition, logPosition, dataJson, Optional.empty());
    }

    private RecordedEvent(ConsumerRecord<?, byte[]> record) {
        this.given = null;
        this.record = record;
    }

    /**
     * The event a record of the events topic holds, for a consumer of the topic of one's own (subscriptions
     * use it). Its envelope (the headers) is read when any accessor is first called, which throws
     * {@link MalformedEnvelopeException} when the record carries no envelope or a malformed one (no stream,
     * version, event id or type header; a version or an event id that does not parse).
     */
    public static RecordedEvent fromLog(ConsumerRecord<?, byte[]> record) {
        return new RecordedEvent(record);
    }

    private Values values() {
        if (given != null) {
            return given;
        }
        Values read = decoded;
        if (read != null) {
            return read;
        }
        ConsumerRecord<?, byte[]> source = record;
        if (source == null) {
            return decoded; // another thread read it meanwhile, and wrote it before dropping the record
        }
        LoggedEnvelope l = LoggedEnvelope.read(source);
        read = new Values(utf8(l.streamId()), l.version(), l.eventId(), utf8(l.eventType()), l.payload(), l.metadata(),
                Optional.ofNullable(l.correlationId()).map(RecordedEvent::utf8),
                Optional.ofNullable(l.causationId()).map(RecordedEvent::utf8), Instant.ofEpochMilli(l.timestamp()),
                OptionalLong.empty(), new LogPosition(l.partition(), l.offset()), Optional.empty(), Optional.empty());
        decoded = read;
        record = null;
        return read;
    }

    private static String utf8(byte[] value) {
        return new String(value, StandardCharsets.UTF_8);
    }

    public String streamId() {
        return values().streamId();
    }

    public long version() {
        return values().version();
    }

    public UUID eventId() {
        return values().eventId();
    }

    public String eventType() {
        return values().eventType();
    }

    public byte[] payload() {
        return values().payload();
    }

    public Map<String, String> metadata() {
        return values().metadata();
    }

    public Optional<String> correlationId() {
        return values().correlationId();
    }

    public Optional<String> causationId() {
        return values().causationId();
    }

    public Instant recordedAt() {
        return values().recordedAt();
    }

    public OptionalLong globalPosition() {
        return values().globalPosition();
    }

    public LogPosition logPosition() {
        return values().logPosition();
    }

    public Optional<String> dataJson() {
        return values().dataJson();
    }

    /**
     * Why the index holds this event other than as written, as its {@code degraded} column says (for instance
     * {@code data left out: the string at $.accountId holds U+0000, which jsonb cannot store}); the payload and the
     * envelope's identity (stream, version, event id) are always intact. Empty when every form is faithful, and for an
     * event read off the log.
     */
    public Optional<String> degraded() {
        return values().degraded();
    }

    /**
     * The W3C trace context the event carries (its {@code traceparent} and {@code tracestate} headers, kept
     * among the metadata, in the index too): the context of the gate's decision in the trace of the append
     * that wrote it. Empty when the append was not traced, or the header is malformed. A consumer starts its
     * span as a child of {@link TraceContext#asParent()} to join the trace (subscriptions do).
     */
    public Optional<TraceContext> traceContext() {
        return TraceContext.of(metadata().get(TraceContext.TRACEPARENT), metadata().get(TraceContext.TRACESTATE))
                .filter(TraceContext::isValid);
    }

    /**
     * Whose personal data the event holds, the key its personal fields are encrypted with: the subject the
     * writer named (header {@code es.subject}, kept in the metadata), else the stream id.
     */
    public String dataSubject() {
        return metadata().getOrDefault(dev.eventstore.schemas.EnvelopeHeaders.SUBJECT, streamId());
    }

    /**
     * Whether this is one of the gate's lifecycle markers ({@code $stream-deleted}, …; see
     * {@link dev.eventstore.schemas.StreamMarker}) rather than an event: its payload is empty, so skip it
     * before decoding. Only subscriptions see markers; index reads never return them.
     */
    public boolean isStreamMarker() {
        return eventType().startsWith(dev.eventstore.schemas.StreamMarker.RESERVED_TYPE_PREFIX);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RecordedEvent event && values().equals(event.values());
    }

    @Override
    public int hashCode() {
        return values().hashCode();
    }

    /** As a record's, {@code RecordedEvent[streamId=…, …]}; for a record of the log without an envelope, why. */
    @Override
    public String toString() {
        try {
            return "RecordedEvent" + values().toString().substring("Values".length());
        } catch (MalformedEnvelopeException e) {
            return "RecordedEvent[unreadable: " + e.getMessage() + "]";
        }
    }
}
