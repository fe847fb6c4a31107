package dev.eventstore.reader.snapshot;

import dev.eventstore.schemas.EventStoreException;

/** A snapshot was refused: it claims a version the stream does not have in the index. Nothing was saved. */
public class InvalidSnapshotException extends EventStoreException {

    public InvalidSnapshotException(String message) {
        super(message);
    }

    /** Saved again, the same snapshot claims the same version: the index or the snapshot must change first. */
    @Override
    public boolean isRetryable() {
        return false;
    }
}
