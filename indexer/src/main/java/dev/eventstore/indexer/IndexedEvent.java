package dev.eventstore.indexer;

import java.util.UUID;

/** One row of the events table, as read off the log. */
record IndexedEvent(String streamId, long version, String category, String eventType, UUID eventId, int schemaId,
                    byte[] payload, String dataJson, String metadataJson, String correlationId, String causationId,
                    String requestId, String topic, int partition, long offset, long recordedAtMillis) {}
