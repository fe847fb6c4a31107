package dev.eventstore.reader.subscription;

import dev.eventstore.reader.RecordedEvent;
import dev.eventstore.schemas.EnvelopeHeaders;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;

/** Reads an event off a record of the events topic, from its envelope headers. */
final class LoggedEvents {

    private LoggedEvents() {}

    static RecordedEvent toEvent(ConsumerRecord<String, byte[]> record) {
        Headers headers = record.headers();
        return new RecordedEvent(EnvelopeHeaders.require(headers, EnvelopeHeaders.STREAM),
                Long.parseLong(EnvelopeHeaders.require(headers, EnvelopeHeaders.VERSION)),
                UUID.fromString(EnvelopeHeaders.require(headers, EnvelopeHeaders.EVENT_ID)),
                EnvelopeHeaders.require(headers, EnvelopeHeaders.TYPE),
                // A lifecycle marker's value is null; handlers get an empty payload rather than a null one.
                record.value() == null ? new byte[0] : record.value(), EnvelopeHeaders.metadata(headers),
                EnvelopeHeaders.get(headers, EnvelopeHeaders.CORRELATION_ID),
                EnvelopeHeaders.get(headers, EnvelopeHeaders.CAUSATION_ID), Instant.ofEpochMilli(record.timestamp()),
                OptionalLong.empty(), new RecordedEvent.LogPosition(record.partition(), record.offset()), Optional.empty());
    }
}
