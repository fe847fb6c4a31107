package dev.eventstore.schemas;

import dev.eventstore.schemas.registry.Utf8Strings;
import dev.eventstore.schemas.registry.WireFormat;
import dev.eventstore.schemas.store.EventData;
import dev.eventstore.schemas.store.StreamAppend;
import java.nio.ByteBuffer;
import java.text.Normalizer;
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
        Optional<String> idsProblem = unencodable("correlation id", append.getCorrelationId())
                .or(() -> unencodable("causation id", append.getCausationId()));
        if (idsProblem.isPresent()) {
            return idsProblem;
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

    /** Why {@code streamId} is not a valid stream id (see {@link #problemWithIdentifier}), or empty. */
    public Optional<String> problemWithStreamId(String streamId) {
        return problemWithIdentifier("stream id", streamId, maxStreamIdLength);
    }

    /** Why {@code eventType} is not a valid event type (see {@link #problemWithIdentifier}), or empty. */
    public Optional<String> problemWithEventType(String eventType) {
        return problemWithIdentifier("event type", eventType, maxEventTypeLength);
    }

    /**
     * Stream ids and event types are identifiers: compared byte by byte everywhere (Kafka keys and headers,
     * the index), so two that look alike must be the same text, and none may be altered on its way. One is
     * refused when it is empty or longer than {@code maxLength} characters (UTF-16 units); blank, or with
     * whitespace at either end; holds a control character, an invisible format character (Unicode category
     * Cf: bidirectional overrides, zero-width spaces, …), an unpaired UTF-16 surrogate (UTF-8 cannot carry it)
     * or U+FFFD (what invalid UTF-8 becomes when decoded); or is not in Unicode normal form C (NFC): the
     * same text composed differently would name another stream, so it is refused rather than normalised.
     */
    static Optional<String> problemWithIdentifier(String what, String id, int maxLength) {
        if (id == null || id.isEmpty()) {
            return Optional.of(what + " must not be empty");
        }
        if (id.length() > maxLength) {
            return Optional.of(what + " is longer than " + maxLength + " characters");
        }
        if (isSpace(id.codePointAt(0)) || isSpace(id.codePointBefore(id.length()))) {
            return Optional.of(id.isBlank() || id.codePoints().allMatch(AppendLimits::isSpace)
                    ? what + " must not be blank" : what + " must not start or end with whitespace");
        }
        boolean ascii = true;
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c < 0x80) {
                if (Character.isISOControl(c)) {
                    return Optional.of(what + " must not contain control characters");
                }
                continue;
            }
            ascii = false;
            Optional<String> problem = problemWithNonAscii(what, id, i);
            if (problem.isPresent()) {
                return problem;
            }
            if (Character.isHighSurrogate(c)) {
                i++; // the pair was checked whole
            }
        }
        if (!ascii && !Normalizer.isNormalized(id, Normalizer.Form.NFC)) {
            return Optional.of(what + " is not in Unicode normal form C (NFC); send Normalizer.normalize(id, NFC)");
        }
        return Optional.empty();
    }

    private static Optional<String> problemWithNonAscii(String what, String id, int i) {
        char c = id.charAt(i);
        if (Character.isSurrogate(c) && !(Character.isHighSurrogate(c) && i + 1 < id.length() && Character.isLowSurrogate(id.charAt(i + 1)))) {
            return Optional.of(unpairedSurrogate(what, id, i));
        }
        int codePoint = id.codePointAt(i);
        if (Character.isISOControl(codePoint)) {
            return Optional.of(what + " must not contain control characters");
        }
        if (codePoint == 0xFFFD) {
            return Optional.of(what + " holds U+FFFD, the replacement character (invalid UTF-8 decoded?) at index " + i);
        }
        if (Character.getType(codePoint) == Character.FORMAT) {
            return Optional.of(String.format("%s holds the invisible format character U+%04X at index %d", what, codePoint, i));
        }
        return Optional.empty();
    }

    private static boolean isSpace(int codePoint) {
        return Character.isWhitespace(codePoint) || Character.isSpaceChar(codePoint);
    }

    private Optional<String> problemWith(EventData event) {
        Optional<String> typeProblem = problemWithEventType(event.getEventType());
        if (typeProblem.isPresent()) {
            return typeProblem;
        }
        String type = event.getEventType();
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
        for (Map.Entry<String, String> entry : event.getMetadata().entrySet()) {
            String name = entry.getKey();
            if (name.equals(EnvelopeHeaders.SUBJECT)) {
                // The one reserved name a client sets: the event's data subject, checked as an identifier.
                Optional<String> problem = problemWithIdentifier("data subject", entry.getValue(), maxStreamIdLength);
                if (problem.isPresent()) {
                    return problem;
                }
                continue;
            }
            if (name.startsWith(EnvelopeHeaders.RESERVED_PREFIX)) {
                return Optional.of("metadata name '" + name + "' uses the reserved prefix " + EnvelopeHeaders.RESERVED_PREFIX);
            }
            Optional<String> problem = unencodable("metadata name", name).or(() -> unencodable("metadata " + name, entry.getValue()));
            if (problem.isPresent()) {
                return problem;
            }
        }
        return Optional.empty();
    }

    /** Free text travels as UTF-8 (headers, Avro): refused when it holds what UTF-8 cannot carry, rather than altered. */
    private static Optional<String> unencodable(String what, String text) {
        int at = text == null ? -1 : Utf8Strings.unpairedSurrogateAt(text);
        return at < 0 ? Optional.empty() : Optional.of(unpairedSurrogate(what, text, at));
    }

    private static String unpairedSurrogate(String what, String text, int at) {
        return String.format("%s holds an unpaired UTF-16 surrogate U+%04X at index %d (UTF-8 cannot carry it)", what, (int) text.charAt(at), at);
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
}
