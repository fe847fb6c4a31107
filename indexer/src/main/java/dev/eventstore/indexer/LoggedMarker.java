package dev.eventstore.indexer;

import dev.eventstore.schemas.StreamMarker;

/** A lifecycle marker read off the events topic, with its place in the log (ordered against the batch's events by offset). */
record LoggedMarker(StreamMarker marker, int partition, long offset, long recordedAtMillis) {}
