package dev.eventstore.reader.snapshot;

/** A snapshot was refused: it claims a version the stream does not have in the index. Nothing was saved. */
public class InvalidSnapshotException extends RuntimeException {

    public InvalidSnapshotException(String message) {
        super(message);
    }
}
