package dev.eventstore.schemas;

import java.util.Optional;
import java.util.OptionalLong;
import org.apache.kafka.common.header.Headers;

/**
 * A change of a stream's lifecycle as the gate writes it to the events topic, in the same transaction as
 * appends: a record keyed by the stream id with a null value (registry deserializers return null for it) and the
 * envelope headers ({@code es.stream},
 * {@code es.version} = the stream's version when the change was decided, {@code es.event-id},
 * {@code es.request-id}, …), its {@code es.type} one of the reserved {@link Kind} names, and the change's own
 * headers below. Event types starting with {@code $} are refused at append, so only the gate writes markers.
 * The index, a rebuilt index and any consumer see the same change at the same place in the stream.
 *
 * @param truncateBefore the first version still readable: for a deletion the version after the last
 *     event (none of the deleted events stays readable, even when the stream is written again)
 * @param maxCount {@link Kind#METADATA}: keep at most this many latest events; empty: no limit
 * @param maxAgeMillis {@link Kind#METADATA}: keep events younger than this; empty: no limit
 */
public record StreamMarker(Kind kind, String streamId, long version, long truncateBefore, OptionalLong maxCount,
                           OptionalLong maxAgeMillis) {

    /** The prefix of event types reserved for markers. */
    public static final String RESERVED_TYPE_PREFIX = "$";
    public static final String TRUNCATE_BEFORE = "es.truncate-before";
    public static final String MAX_COUNT = "es.max-count";
    public static final String MAX_AGE_MILLIS = "es.max-age-ms";

    public enum Kind {
        /** Soft delete: reads fail; an append expecting no stream or any version starts it again. */
        DELETED("$stream-deleted"),
        /** Hard delete: reads fail and the stream is never written again. */
        TOMBSTONED("$stream-tombstoned"),
        /** Events before {@code truncateBefore} are no longer readable. */
        TRUNCATED("$stream-truncated"),
        /** Retention: {@code maxCount} and {@code maxAgeMillis}. */
        METADATA("$stream-metadata");

        private final String eventType;

        Kind(String eventType) {
            this.eventType = eventType;
        }

        /** The {@code es.type} header of such a marker. */
        public String eventType() {
            return eventType;
        }

        static Optional<Kind> ofEventType(String type) {
            for (Kind kind : values()) {
                if (kind.eventType.equals(type)) {
                    return Optional.of(kind);
                }
            }
            return Optional.empty();
        }
    }

    /** Whether a record of the events topic is a marker, not an event: its type alone tells, no payload is read. */
    public static boolean isMarker(Headers headers) {
        return EnvelopeHeaders.get(headers, EnvelopeHeaders.TYPE).filter(t -> t.startsWith(RESERVED_TYPE_PREFIX)).isPresent();
    }

    /**
     * The marker a record carries, or empty for an event.
     *
     * @throws IllegalArgumentException when the record claims a reserved type but its headers are not a marker's
     */
    public static Optional<StreamMarker> read(Headers headers) {
        Optional<String> type = EnvelopeHeaders.get(headers, EnvelopeHeaders.TYPE).filter(t -> t.startsWith(RESERVED_TYPE_PREFIX));
        if (type.isEmpty()) {
            return Optional.empty();
        }
        Kind kind = Kind.ofEventType(type.get())
                .orElseThrow(() -> new IllegalArgumentException("unknown marker type " + type.get()));
        try {
            return Optional.of(new StreamMarker(kind, EnvelopeHeaders.require(headers, EnvelopeHeaders.STREAM),
                    Long.parseLong(EnvelopeHeaders.require(headers, EnvelopeHeaders.VERSION)),
                    Long.parseLong(EnvelopeHeaders.get(headers, TRUNCATE_BEFORE).orElse("0")),
                    optionalLong(headers, MAX_COUNT), optionalLong(headers, MAX_AGE_MILLIS)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("marker " + type.get() + " has a malformed number: " + e.getMessage(), e);
        }
    }

    /** Adds the headers of this marker other than the envelope's stream, version, ids and type. */
    public void writeTo(Headers headers) {
        EnvelopeHeaders.put(headers, TRUNCATE_BEFORE, Long.toString(truncateBefore));
        maxCount.ifPresent(n -> EnvelopeHeaders.put(headers, MAX_COUNT, Long.toString(n)));
        maxAgeMillis.ifPresent(n -> EnvelopeHeaders.put(headers, MAX_AGE_MILLIS, Long.toString(n)));
    }

    private static OptionalLong optionalLong(Headers headers, String name) {
        Optional<String> value = EnvelopeHeaders.get(headers, name);
        return value.isEmpty() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(value.get()));
    }
}
