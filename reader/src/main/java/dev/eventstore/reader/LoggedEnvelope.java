package dev.eventstore.reader;

import dev.eventstore.schemas.EnvelopeHeaders;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * An event's envelope as read off a record of the events topic when a {@link RecordedEvent} is first asked
 * for it: one pass over the headers that copies only the values the event holds (the request id is never
 * read). As {@link EnvelopeHeaders#read} does, a header counts with its last non-null value. The version and
 * the event id are parsed from their bytes.
 */
record LoggedEnvelope(byte[] streamId, long version, UUID eventId, byte[] eventType, byte[] correlationId,
                      byte[] causationId, byte[] payload, Map<String, String> metadata, long timestamp, int partition,
                      long offset) {

    private static final byte[] EMPTY = new byte[0];

    /** @throws MalformedEnvelopeException when an envelope header is missing or malformed */
    static LoggedEnvelope read(ConsumerRecord<?, byte[]> record) {
        byte[] streamId = null;
        byte[] type = null;
        byte[] correlationId = null;
        byte[] causationId = null;
        byte[] version = null;
        byte[] eventId = null;
        Map<String, String> metadata = Map.of();
        for (Header header : record.headers()) {
            String name = header.key();
            switch (name) {
                case EnvelopeHeaders.STREAM -> streamId = lastValue(header, streamId);
                case EnvelopeHeaders.VERSION -> version = lastValue(header, version);
                case EnvelopeHeaders.EVENT_ID -> eventId = lastValue(header, eventId);
                case EnvelopeHeaders.TYPE -> type = lastValue(header, type);
                case EnvelopeHeaders.CORRELATION_ID -> correlationId = lastValue(header, correlationId);
                case EnvelopeHeaders.CAUSATION_ID -> causationId = lastValue(header, causationId);
                default -> {
                    byte[] value;
                    if (EnvelopeHeaders.isMetadata(name) && (value = header.value()) != null) {
                        if (metadata.isEmpty()) {
                            metadata = new LinkedHashMap<>();
                        }
                        metadata.put(name, new String(value, StandardCharsets.UTF_8));
                    }
                }
            }
        }
        try {
            return new LoggedEnvelope(required(streamId, EnvelopeHeaders.STREAM),
                    DecimalAndUuid.parseLong(required(version, EnvelopeHeaders.VERSION)),
                    DecimalAndUuid.parseUuid(required(eventId, EnvelopeHeaders.EVENT_ID)), required(type, EnvelopeHeaders.TYPE),
                    correlationId, causationId,
                    // A lifecycle marker's value is null; handlers get an empty payload rather than a null one.
                    record.value() == null ? EMPTY : record.value(), metadata, record.timestamp(), record.partition(),
                    record.offset());
        } catch (IllegalArgumentException e) { // NumberFormatException included
            throw new MalformedEnvelopeException(e.getMessage(), e);
        }
    }

    private static byte[] lastValue(Header header, byte[] earlier) {
        byte[] value = header.value();
        return value != null ? value : earlier;
    }

    private static <T> T required(T value, String name) {
        if (value == null) {
            throw new IllegalArgumentException("missing envelope header " + name);
        }
        return value;
    }
}
