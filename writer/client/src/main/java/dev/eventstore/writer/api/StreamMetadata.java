package dev.eventstore.writer.api;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Retention of a stream: reads return at most the {@code maxCount} latest events, none older than
 * {@code maxAge}, and the index deletes the others. Setting metadata replaces the earlier one; empty
 * means no limit.
 */
public record StreamMetadata(OptionalLong maxCount, Optional<Duration> maxAge) {

    public StreamMetadata {
        Objects.requireNonNull(maxCount, "maxCount");
        Objects.requireNonNull(maxAge, "maxAge");
        if (maxCount.isPresent() && maxCount.getAsLong() < 1) {
            throw new IllegalArgumentException("max count must be 1 or more, not " + maxCount.getAsLong());
        }
        if (maxAge.isPresent() && maxAge.get().toMillis() < 1) {
            throw new IllegalArgumentException("max age must be at least 1 ms, not " + maxAge.get());
        }
    }

    /** No retention limit. */
    public static StreamMetadata none() {
        return new StreamMetadata(OptionalLong.empty(), Optional.empty());
    }

    public StreamMetadata maxCount(long maxCount) {
        return new StreamMetadata(OptionalLong.of(maxCount), maxAge);
    }

    public StreamMetadata maxAge(Duration maxAge) {
        return new StreamMetadata(maxCount, Optional.of(maxAge));
    }
}
