package dev.eventstore.indexer;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventstore.schemas.EnvelopeHeaders;
import dev.eventstore.schemas.registry.AvroJson;
import dev.eventstore.schemas.registry.EventCodec;
import dev.eventstore.schemas.registry.MalformedPayloadException;
import dev.eventstore.schemas.registry.SchemaRegistryException;
import dev.eventstore.schemas.registry.WireFormat;
import java.util.UUID;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns records of the events topic into index rows, with the payload rendered as JSON. */
final class EventRows {

    private static final Logger log = LoggerFactory.getLogger(EventRows.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final EventCodec codec;

    EventRows(EventCodec codec) {
        this.codec = codec;
    }

    /**
     * @throws UnindexableRecordException when the envelope or the wire-format framing is missing: such a
     *     record has no place in a stream
     * @throws SchemaRegistryException when the registry cannot be reached (transient: retry the batch)
     */
    IndexedEvent toRow(ConsumerRecord<String, byte[]> record) {
        Headers headers = record.headers();
        try {
            String streamId = EnvelopeHeaders.require(headers, EnvelopeHeaders.STREAM);
            long version = Long.parseLong(EnvelopeHeaders.require(headers, EnvelopeHeaders.VERSION));
            UUID eventId = UUID.fromString(EnvelopeHeaders.require(headers, EnvelopeHeaders.EVENT_ID));
            int schemaId = WireFormat.schemaId(record.value());
            return new IndexedEvent(streamId, version, EnvelopeHeaders.category(streamId),
                    EnvelopeHeaders.require(headers, EnvelopeHeaders.TYPE), eventId, schemaId, record.value(),
                    dataJson(record), JSON.writeValueAsString(EnvelopeHeaders.metadata(headers)),
                    EnvelopeHeaders.get(headers, EnvelopeHeaders.CORRELATION_ID).orElse(null),
                    EnvelopeHeaders.get(headers, EnvelopeHeaders.CAUSATION_ID).orElse(null),
                    EnvelopeHeaders.get(headers, EnvelopeHeaders.REQUEST_ID).orElse(null),
                    record.topic(), record.partition(), record.offset(), record.timestamp());
        } catch (IllegalArgumentException | MalformedPayloadException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UnindexableRecordException(e.getMessage());
        }
    }

    /**
     * The payload as JSON, or null when its schema is gone from the registry or it does not decode: the
     * event still takes its place in the stream (bytes kept), only the JSON copy is missing.
     */
    private String dataJson(ConsumerRecord<String, byte[]> record) {
        try {
            GenericRecord data = codec.decode(record.value());
            return AvroJson.toJson(data, data.getSchema()).toString();
        } catch (MalformedPayloadException e) {
            log.warn("Event at {}-{}@{} does not decode, indexed without JSON: {}", record.topic(), record.partition(),
                    record.offset(), e.getMessage());
            return null;
        } catch (SchemaRegistryException e) {
            if (e.isNotFound()) {
                log.warn("Schema of event at {}-{}@{} not in the registry, indexed without JSON: {}", record.topic(),
                        record.partition(), record.offset(), e.getMessage());
                return null;
            }
            throw e;
        }
    }
}
