package dev.eventstore.indexer;

import org.apache.kafka.common.TopicPartition;

/** Another indexer advanced a partition's stored offset: this one must re-read it and seek there. */
final class PositionConflictException extends RuntimeException {

    PositionConflictException(TopicPartition partition, Long expected) {
        super("stored offset of " + partition + " is no longer " + (expected == null ? "absent" : expected));
    }
}
