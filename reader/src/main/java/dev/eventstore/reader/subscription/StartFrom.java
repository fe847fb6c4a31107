package dev.eventstore.reader.subscription;

import java.time.Instant;
import java.util.Objects;

/**
 * Where a subscription group with no committed offsets starts; a group that has some resumes there,
 * whatever this says.
 */
public sealed interface StartFrom {

    /** Catch up from the first event of the log. */
    static StartFrom beginning() {
        return new Beginning();
    }

    /** Only events appended after the group first joined. */
    static StartFrom end() {
        return new End();
    }

    /** From the first event recorded at or after the instant (the end when there is none). */
    static StartFrom timestamp(Instant instant) {
        return new Timestamp(instant);
    }

    record Beginning() implements StartFrom {}

    record End() implements StartFrom {}

    record Timestamp(Instant instant) implements StartFrom {
        public Timestamp {
            Objects.requireNonNull(instant, "instant");
        }
    }
}
