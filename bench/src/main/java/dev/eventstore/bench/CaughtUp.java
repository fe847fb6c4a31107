package dev.eventstore.bench;

/**
 * What a W5 catch-up did: the events it saw, and when ({@link System#nanoTime()}) it saw the first and the last of them.
 * The catch-up ends there; closing the reader afterwards (for a Kafka consumer, up to {@code fetch.max.wait.ms}
 * while the broker ends the fetch session) is measured apart.
 */
record CaughtUp(long events, long firstEventNanos, long lastEventNanos) {}
