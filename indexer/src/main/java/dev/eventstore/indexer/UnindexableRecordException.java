package dev.eventstore.indexer;

/** A record of the events topic that cannot be placed in the index (e.g. its envelope is missing). */
final class UnindexableRecordException extends RuntimeException {

    UnindexableRecordException(String message) {
        super(message);
    }
}
