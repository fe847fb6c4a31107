package dev.eventstore.reader.query;

import java.time.Instant;

/**
 * What the index knows of a stream.
 *
 * @param version the stream's current version as indexed (its last event's version)
 * @param firstEventAt when the stream's first event was recorded in the log
 * @param lastEventAt when its last indexed event was recorded in the log
 */
public record StreamInfo(String streamId, long version, Instant firstEventAt, Instant lastEventAt) {}
