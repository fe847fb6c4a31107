package dev.eventstore.reader.subscription;

import dev.eventstore.reader.RecordedEvent;
import dev.eventstore.schemas.EnvelopeHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Reads an event off a record of the events topic, from its envelope headers, as
 * {@link EnvelopeHeaders#read} does (a repeated header counts with its last value), in one pass that
 * decodes only what the event holds: a catch-up reads hundreds of thousands of records a second, and
 * building a string for each header value (the request id, the version, the event id) was most of the
 * handler thread's time. The version and the event id are parsed from their bytes.
 */
final class LoggedEvents {

    private static final byte[] EMPTY = new byte[0];

    private LoggedEvents() {}

    /** @throws IllegalArgumentException when an envelope header is missing or malformed */
    static RecordedEvent toEvent(ConsumerRecord<String, byte[]> record) {
        String streamId = null;
        String type = null;
        String correlationId = null;
        String causationId = null;
        byte[] version = null;
        byte[] eventId = null;
        Map<String, String> metadata = Map.of();
        for (Header header : record.headers()) {
            byte[] value = header.value();
            if (value == null) {
                continue;
            }
            switch (header.key()) {
                case EnvelopeHeaders.STREAM -> streamId = utf8(value);
                case EnvelopeHeaders.VERSION -> version = value;
                case EnvelopeHeaders.EVENT_ID -> eventId = value;
                case EnvelopeHeaders.TYPE -> type = utf8(value);
                case EnvelopeHeaders.CORRELATION_ID -> correlationId = utf8(value);
                case EnvelopeHeaders.CAUSATION_ID -> causationId = utf8(value);
                default -> {
                    if (EnvelopeHeaders.isMetadata(header.key())) {
                        if (metadata.isEmpty()) {
                            metadata = new LinkedHashMap<>();
                        }
                        metadata.put(header.key(), utf8(value));
                    }
                }
            }
        }
        return new RecordedEvent(required(streamId, EnvelopeHeaders.STREAM), DecimalAndUuid.parseLong(required(version, EnvelopeHeaders.VERSION)),
                DecimalAndUuid.parseUuid(required(eventId, EnvelopeHeaders.EVENT_ID)), required(type, EnvelopeHeaders.TYPE),
                // A lifecycle marker's value is null; handlers get an empty payload rather than a null one.
                record.value() == null ? EMPTY : record.value(), metadata,
                Optional.ofNullable(correlationId), Optional.ofNullable(causationId), Instant.ofEpochMilli(record.timestamp()),
                OptionalLong.empty(), new RecordedEvent.LogPosition(record.partition(), record.offset()), Optional.empty());
    }

    private static String utf8(byte[] value) {
        return new String(value, StandardCharsets.UTF_8);
    }

    private static <T> T required(T value, String name) {
        if (value == null) {
            throw new IllegalArgumentException("missing envelope header " + name);
        }
        return value;
    }
}
