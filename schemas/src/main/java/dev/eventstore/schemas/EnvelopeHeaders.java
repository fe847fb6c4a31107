package dev.eventstore.schemas;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The envelope every event carries as Kafka headers on the events topic, so any consumer can filter
 * without decoding a payload. Every value is a UTF-8 string; {@code es.version} is the version in
 * decimal ("1", "2", …), readable by kcat and any client.
 *
 * <p>User metadata travels as further headers under its own names; names starting with {@code es.}
 * are reserved for the envelope.
 */
public final class EnvelopeHeaders {

    public static final String RESERVED_PREFIX = "es.";
    public static final String STREAM = "es.stream";
    public static final String VERSION = "es.version";
    public static final String EVENT_ID = "es.event-id";
    public static final String TYPE = "es.type";
    public static final String CORRELATION_ID = "es.correlation-id";
    public static final String CAUSATION_ID = "es.causation-id";
    public static final String REQUEST_ID = "es.request-id";
    /**
     * The event's data subject when the application named one ({@code NewEvent.withDataSubject}); absent, the
     * subject is the stream id. In clear, like every header. Kept in the metadata the index and readers see.
     */
    public static final String SUBJECT = "es.subject";

    /**
     * Whether a header outside the envelope's own is the event's metadata: any name outside the reserved
     * prefix, and the data subject ({@link #SUBJECT}), which readers need to decrypt personal fields.
     */
    public static boolean isMetadata(String headerName) {
        return !headerName.startsWith(RESERVED_PREFIX) || headerName.equals(SUBJECT);
    }

    private EnvelopeHeaders() {}

    public static void put(Headers headers, String name, String value) {
        if (value != null) {
            headers.add(name, value.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** The last value of a header, decoded as UTF-8. */
    public static Optional<String> get(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null || header.value() == null
                ? Optional.empty()
                : Optional.of(new String(header.value(), StandardCharsets.UTF_8));
    }

    public static String require(Headers headers, String name) {
        return get(headers, name).orElseThrow(() -> new IllegalArgumentException("missing envelope header " + name));
    }

    /**
     * Every envelope header and the user metadata of a record, read in one pass over its headers (a
     * consumer of every event reads them all; one lookup per name would scan the headers each time).
     * A repeated header counts with its last value, as {@link #get} does.
     */
    public static Envelope read(Headers headers) {
        Envelope envelope = new Envelope();
        for (Header header : headers) {
            if (header.value() == null) {
                continue;
            }
            String value = new String(header.value(), StandardCharsets.UTF_8);
            switch (header.key()) {
                case STREAM -> envelope.streamId = value;
                case VERSION -> envelope.version = value;
                case EVENT_ID -> envelope.eventId = value;
                case TYPE -> envelope.type = value;
                case CORRELATION_ID -> envelope.correlationId = value;
                case CAUSATION_ID -> envelope.causationId = value;
                case REQUEST_ID -> envelope.requestId = value;
                default -> {
                    if (isMetadata(header.key())) {
                        envelope.metadata.put(header.key(), value);
                    }
                }
            }
        }
        return envelope;
    }

    /** The envelope of one record; {@code null} for a header it does not carry. */
    public static final class Envelope {
        private String streamId;
        private String version;
        private String eventId;
        private String type;
        private String correlationId;
        private String causationId;
        private String requestId;
        private final Map<String, String> metadata = new LinkedHashMap<>();

        private Envelope() {}

        public String streamId() {
            return required(streamId, STREAM);
        }

        public String version() {
            return required(version, VERSION);
        }

        public String eventId() {
            return required(eventId, EVENT_ID);
        }

        public String type() {
            return required(type, TYPE);
        }

        public String correlationId() {
            return correlationId;
        }

        public String causationId() {
            return causationId;
        }

        public String requestId() {
            return requestId;
        }

        /** The headers outside the envelope, in order, and the data subject's ({@link #SUBJECT}) when present. */
        public Map<String, String> metadata() {
            return metadata;
        }

        private static String required(String value, String name) {
            if (value == null) {
                throw new IllegalArgumentException("missing envelope header " + name);
            }
            return value;
        }
    }

    /** The headers that are not part of the envelope: the event's user metadata. */
    public static Map<String, String> metadata(Headers headers) {
        return read(headers).metadata();
    }

    /** The category of a stream: the part of its id before the first {@code -}, or the whole id. */
    public static String category(String streamId) {
        int dash = streamId.indexOf('-');
        return dash < 0 ? streamId : streamId.substring(0, dash);
    }
}
