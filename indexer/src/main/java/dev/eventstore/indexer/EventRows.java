package dev.eventstore.indexer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventstore.schemas.EnvelopeHeaders;
import dev.eventstore.schemas.registry.AvroJson;
import dev.eventstore.schemas.registry.EventCodec;
import dev.eventstore.schemas.registry.MalformedPayloadException;
import dev.eventstore.schemas.registry.SchemaRegistryException;
import dev.eventstore.schemas.registry.WireFormat;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
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
        try {
            EnvelopeHeaders.Envelope envelope = EnvelopeHeaders.read(record.headers());
            String streamId = envelope.streamId();
            long version = Long.parseLong(envelope.version());
            UUID eventId = UUID.fromString(envelope.eventId());
            int schemaId = WireFormat.schemaId(record.value());
            return new IndexedEvent(streamId, version, EnvelopeHeaders.category(streamId), envelope.type(), eventId, schemaId,
                    record.value(), dataJson(record), metadataJson(envelope.metadata()), envelope.correlationId(),
                    envelope.causationId(), envelope.requestId(), record.topic(), record.partition(), record.offset(),
                    record.timestamp());
        } catch (IllegalArgumentException | MalformedPayloadException | JsonProcessingException e) {
            throw new UnindexableRecordException(e.getMessage());
        }
    }

    private static String metadataJson(Map<String, String> metadata) throws JsonProcessingException {
        return metadata.isEmpty() ? "{}" : JSON.writeValueAsString(metadata); // most events carry none
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
