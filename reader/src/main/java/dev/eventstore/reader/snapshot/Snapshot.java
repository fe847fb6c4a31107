package dev.eventstore.reader.snapshot;

import java.time.Instant;
import java.util.List;

/**
 * The state of a stream as of a version: fold the stream's events from {@code version + 1} onto it.
 *
 * @param schemaId the registry id of the schema the state was written with
 * @param erasedFields the personal fields of the state erased because its stream (its data subject) was forgotten
 */
public record Snapshot<T>(String streamId, long version, int schemaId, T state, Instant takenAt, List<String> erasedFields) {

    public Snapshot {
        erasedFields = List.copyOf(erasedFields);
    }
}
