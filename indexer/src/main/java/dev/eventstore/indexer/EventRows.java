package dev.eventstore.indexer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventstore.schemas.EnvelopeHeaders;
import dev.eventstore.schemas.registry.AvroJson;
import dev.eventstore.schemas.registry.EventCodec;
import dev.eventstore.schemas.registry.MalformedPayloadException;
import dev.eventstore.schemas.registry.SchemaRegistryException;
import dev.eventstore.schemas.registry.Utf8Strings;
import dev.eventstore.schemas.registry.WireFormat;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns records of the events topic into index rows, with the payload rendered as JSON when the index keeps
 * it ({@link IndexerConfig#dataJson()}: without, the payload is not decoded at all). Every row it
 * returns can be stored: a form PostgreSQL could not hold is left out or escaped, and the row says why
 * ({@link IndexedEvent#degraded()}), so that no payload can stop the index.
 */
final class EventRows {

    private static final Logger log = LoggerFactory.getLogger(EventRows.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final EventCodec codec;
    private final boolean dataJson;

    /** @param dataJson whether rows get their payload's JSON (decoded with the writer's schema from the registry) */
    EventRows(EventCodec codec, boolean dataJson) {
        this.codec = codec;
        this.dataJson = dataJson;
    }

    /**
     * @throws UnindexableRecordException when the envelope or the wire-format framing is missing: such a
     *     record has no place in a stream
     * @throws SchemaRegistryException when the registry cannot be reached (transient: retry the batch)
     */
    IndexedEvent toRow(ConsumerRecord<byte[], byte[]> record) {
        try {
            EnvelopeHeaders.Envelope envelope = EnvelopeHeaders.read(record.headers());
            Degradation degradation = new Degradation(record.headers());
            String streamId = degradation.header(EnvelopeHeaders.STREAM, envelope.streamId());
            long version = Long.parseLong(envelope.version());
            UUID eventId = UUID.fromString(envelope.eventId());
            int schemaId = WireFormat.schemaId(record.value());
            IndexedEvent row = new IndexedEvent(streamId, version, EnvelopeHeaders.category(streamId),
                    degradation.header(EnvelopeHeaders.TYPE, envelope.type()), eventId, schemaId, record.value(),
                    dataJson ? dataJson(record, degradation) : null, metadataJson(envelope.metadata(), degradation),
                    degradation.header(EnvelopeHeaders.CORRELATION_ID, envelope.correlationId()),
                    degradation.header(EnvelopeHeaders.CAUSATION_ID, envelope.causationId()),
                    degradation.header(EnvelopeHeaders.REQUEST_ID, envelope.requestId()), record.topic(), record.partition(),
                    record.offset(), record.timestamp(), degradation.reason());
            if (row.degraded() != null) {
                log.warn("Event {} v{} at {}-{}@{} indexed degraded: {}", row.streamId(), version, record.topic(),
                        record.partition(), record.offset(), row.degraded());
            }
            return row;
        } catch (IllegalArgumentException | MalformedPayloadException | JsonProcessingException e) {
            throw new UnindexableRecordException(e.getMessage());
        }
    }

    private static String metadataJson(Map<String, String> metadata, Degradation degradation) throws JsonProcessingException {
        if (metadata.isEmpty()) {
            return "{}"; // most events carry none
        }
        Map<String, String> storable = new LinkedHashMap<>();
        metadata.forEach((name, value) -> storable.put(degradation.text("metadata name", name),
                degradation.header("metadata " + name, name, value)));
        return JSON.writeValueAsString(storable);
    }

    /**
     * The payload as JSON, or null (with the reason noted) when it cannot be had faithfully: its schema is
     * gone from the registry, it does not decode, a value has no JSON form, or a string holds U+0000, which
     * jsonb cannot store. The event still takes its place in the stream (bytes kept).
     */
    private String dataJson(ConsumerRecord<byte[], byte[]> record, Degradation degradation) {
        try {
            GenericRecord data = codec.decode(record.value());
            JsonNode json = AvroJson.toJson(data, data.getSchema());
            String unstorable = StorableText.firstUnstorable(json, "$");
            if (unstorable != null) {
                degradation.note("data left out: the string at " + unstorable + " holds U+0000, which jsonb cannot store");
                return null;
            }
            return json.toString();
        } catch (MalformedPayloadException e) {
            degradation.note("data left out: the payload does not decode: " + e.getMessage());
            return null;
        } catch (IllegalArgumentException e) {
            degradation.note("data left out: " + e.getMessage());
            return null;
        } catch (SchemaRegistryException e) {
            if (e.isNotFound()) {
                degradation.note("data left out: the payload's schema is not in the registry: " + e.getMessage());
                return null;
            }
            throw e;
        }
    }

    /** Collects why a row's forms differ from the event, while its columns are made storable. */
    private static final class Degradation {
        private final List<String> reasons = new ArrayList<>();
        private final Headers headers;

        Degradation(Headers headers) {
            this.headers = headers;
        }

        /** An envelope header's value as PostgreSQL can store it: see {@link #header(String, String, String)}. */
        String header(String name, String value) {
            return header(name, name, value);
        }

        /**
         * A header's value as PostgreSQL can store it. Headers are decoded as UTF-8 with invalid bytes replaced
         * (U+FFFD): stored so, the replacement is noted; a value holding U+0000 is escaped and noted.
         */
        String header(String what, String name, String value) {
            if (value != null && value.indexOf('\uFFFD') >= 0 && !validUtf8(headers.lastHeader(name))) {
                note(StorableText.escape(what) + " is not valid UTF-8, stored with U+FFFD for its invalid bytes");
            }
            return text(what, value);
        }

        private static boolean validUtf8(Header header) {
            return Utf8Strings.isValidUtf8(header.value(), header.value().length);
        }

        /** {@code value} as PostgreSQL can store it: escaped, and noted, when it holds U+0000. */
        String text(String what, String value) {
            if (StorableText.storable(value)) {
                return value;
            }
            note(StorableText.escape(what) + " holds U+0000, stored as " + StorableText.ESCAPED_NUL);
            return StorableText.escape(value);
        }

        void note(String reason) {
            reasons.add(reason);
        }

        String reason() {
            return reasons.isEmpty() ? null : String.join("; ", reasons);
        }
    }
}
