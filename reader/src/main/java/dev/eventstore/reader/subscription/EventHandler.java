package dev.eventstore.reader.subscription;

import dev.eventstore.reader.RecordedEvent;

/** Handles the events of a subscription, one at a time, in order per stream. */
@FunctionalInterface
public interface EventHandler {

    /** A handler that throws has not handled the event: it will be delivered again. */
    void handle(RecordedEvent event) throws Exception;
}
