package dev.eventstore.writer.gate;

import dev.eventstore.schemas.store.AppendResult;

/** A result on its way to the results topic, with the partition its client reads. */
record RoutedResult(AppendResult result, int replyPartition) {}
