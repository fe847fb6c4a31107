package dev.eventstore.writer.gate;

import dev.eventstore.schemas.store.ExpectedVersionKind;

/**
 * The heart of the gate, without Kafka: given a stream's current version and what an append expects,
 * either the versions the append's events get, or a conflict stating the actual version.
 */
final class VersionDecision {

    private VersionDecision() {}

    sealed interface Decision {}

    /** Append: the events get versions {@code first … last}. */
    record Append(long first, long last) implements Decision {}

    /** Refuse: the stream is at {@code actual}. */
    record Conflict(long actual) implements Decision {}

    /**
     * @param current the stream's version, 0 when it has no events
     * @param kind what the append expects
     * @param expected the expected version, for {@link ExpectedVersionKind#EXACT}
     * @param eventCount how many events the append carries, at least 1
     */
    static Decision decide(long current, ExpectedVersionKind kind, long expected, int eventCount) {
        boolean accepted = switch (kind) {
            case ANY -> true;
            case NO_STREAM -> current == 0;
            case STREAM_EXISTS -> current > 0;
            case EXACT -> current == expected;
        };
        return accepted ? new Append(current + 1, current + eventCount) : new Conflict(current);
    }
}
