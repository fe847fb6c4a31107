package dev.eventstore.reader.query;

import java.time.Instant;

/** What the index knows of a stream. */
public record StreamInfo(String streamId, long version, Instant createdAt, Instant updatedAt) {}
