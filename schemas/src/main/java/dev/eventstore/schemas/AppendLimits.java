package dev.eventstore.schemas;

import dev.eventstore.schemas.registry.WireFormat;
import dev.eventstore.schemas.store.EventData;
import dev.eventstore.schemas.store.StreamAppend;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The rules every append must satisfy, checked by the client before sending and again by the gate
 * (which serves any client) before deciding, so that nothing malformed is ever written.
 *
 * @param maxStreamIdLength in characters
 * @param maxEventTypeLength in characters
 * @param maxEventsPerAppend events in one atomic append
 * @param maxRequestBytes the encoded request; below the topics' {@code max.message.bytes} (1 MiB by default)
 */
public record AppendLimits(int maxStreamIdLength, int maxEventTypeLength, int maxEventsPerAppend, int maxRequestBytes) {

    public AppendLimits {
        if (maxStreamIdLength < 1 || maxEventTypeLength < 1 || maxEventsPerAppend < 1 || maxRequestBytes < 1) {
            throw new IllegalArgumentException("append limits must be positive");
        }
    }

    public static AppendLimits defaults() {
        return new AppendLimits(500, 200, 1_000, 1_000_000);
    }

    /** Why this append must be refused, or empty when it is well-formed. */
    public Optional<String> problemWith(StreamAppend append) {
        Optional<String> streamProblem = problemWithStreamId(append.getStreamId());
        if (streamProblem.isPresent()) {
            return streamProblem;
        }
        if (append.getExpectedVersion() < 0) {
            return Optional.of("expected version must be 0 or more, not " + append.getExpectedVersion());
        }
        int count = append.getEvents().size();
        if (count == 0) {
            return Optional.of("an append needs at least one event");
        }
        if (count > maxEventsPerAppend) {
            return Optional.of("an append holds at most " + maxEventsPerAppend + " events, not " + count);
        }
        for (int i = 0; i < count; i++) {
            Optional<String> eventProblem = problemWith(append.getEvents().get(i));
            if (eventProblem.isPresent()) {
                return Optional.of("event " + i + ": " + eventProblem.get());
            }
        }
        return count == 1 ? Optional.empty() : problemWithRepeatedIds(append.getEvents());
    }

    private static Optional<String> problemWithRepeatedIds(List<EventData> events) {
        Map<String, Integer> firstWithId = new HashMap<>();
        for (int i = 0; i < events.size(); i++) {
            String id = events.get(i).getEventId();
            Integer earlier = firstWithId.putIfAbsent(id.toLowerCase(Locale.ROOT), i);
            if (earlier != null) {
                return Optional.of("event " + i + ": event id " + id + " is also the id of event " + earlier);
            }
        }
        return Optional.empty();
    }

    public Optional<String> problemWithStreamId(String streamId) {
        if (streamId == null || streamId.isEmpty()) {
            return Optional.of("stream id must not be empty");
        }
        if (streamId.length() > maxStreamIdLength) {
            return Optional.of("stream id is longer than " + maxStreamIdLength + " characters");
        }
        if (hasControlCharacter(streamId)) {
            return Optional.of("stream id must not contain control characters");
        }
        return Optional.empty();
    }

    private Optional<String> problemWith(EventData event) {
        String type = event.getEventType();
        if (type == null || type.isBlank()) {
            return Optional.of("event type must not be empty");
        }
        if (type.length() > maxEventTypeLength || hasControlCharacter(type)) {
            return Optional.of("event type must be at most " + maxEventTypeLength + " characters without control characters");
        }
        if (type.startsWith(StreamMarker.RESERVED_TYPE_PREFIX)) {
            // Consumers tell the gate's lifecycle markers from events by this prefix alone.
            return Optional.of("event type '" + type + "' starts with " + StreamMarker.RESERVED_TYPE_PREFIX
                    + ", reserved for the store's stream markers");
        }
        if (!isUuid(event.getEventId())) {
            return Optional.of("event id must be a UUID, not '" + event.getEventId() + "'");
        }
        ByteBuffer payload = event.getPayload();
        if (payload == null || payload.remaining() < WireFormat.HEADER_SIZE || payload.get(payload.position()) != WireFormat.MAGIC) {
            return Optional.of("payload must be a non-empty Avro record in the schema-registry wire format");
        }
        for (String name : event.getMetadata().keySet()) {
            if (name.startsWith(EnvelopeHeaders.RESERVED_PREFIX)) {
                return Optional.of("metadata name '" + name + "' uses the reserved prefix " + EnvelopeHeaders.RESERVED_PREFIX);
            }
        }
        return Optional.empty();
    }

    /**
     * The canonical 8-4-4-4-12 form in either case, as {@link java.util.UUID#toString} writes it. Checked by
     * hand: parsing and printing a UUID per event was a measurable part of the gate's work per append.
     */
    public static boolean isUuid(String text) {
        if (text == null || text.length() != 36) {
            return false;
        }
        for (int i = 0; i < 36; i++) {
            char c = text.charAt(i);
            boolean expected = i == 8 || i == 13 || i == 18 || i == 23 ? c == '-' : isHexDigit(c);
            if (!expected) {
                return false;
            }
        }
        return true;
    }

    private static boolean isHexDigit(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static boolean hasControlCharacter(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.isISOControl(text.charAt(i))) {
                return true;
            }
        }
        return false;
    }
}
