package dev.eventstore.indexer;

import java.util.UUID;

/**
 * One row of the events table, as read off the log.
 *
 * @param degraded why a form of this row is left out or escaped, or null when every form is faithful
 */
record IndexedEvent(String streamId, long version, String category, String eventType, UUID eventId, int schemaId,
                    byte[] payload, String dataJson, String metadataJson, String correlationId, String causationId,
                    String requestId, String topic, int partition, long offset, long recordedAtMillis, String degraded) {

    /** This row with another JSON form of its payload. */
    IndexedEvent withData(String json) {
        return new IndexedEvent(streamId, version, category, eventType, eventId, schemaId, payload, json, metadataJson,
                correlationId, causationId, requestId, topic, partition, offset, recordedAtMillis, degraded);
    }

    /**
     * This row with only what PostgreSQL must hold to place it in its stream (ids, version, position, payload
     * bytes): the JSON forms and the optional ids left out, for a row PostgreSQL refused as it was.
     */
    IndexedEvent stripped(String reason) {
        return new IndexedEvent(streamId, version, category, eventType, eventId, schemaId, payload, null, "{}", null, null,
                null, topic, partition, offset, recordedAtMillis, degraded == null ? reason : degraded + "; " + reason);
    }
}
