package dev.eventstore.reader.snapshot;

import java.time.Instant;

/**
 * The state of a stream as of a version: fold the stream's events from {@code version + 1} onto it.
 *
 * @param schemaId the registry id of the schema the state was written with
 */
public record Snapshot<T>(String streamId, long version, int schemaId, T state, Instant takenAt) {}
