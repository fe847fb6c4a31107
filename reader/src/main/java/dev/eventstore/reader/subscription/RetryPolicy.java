package dev.eventstore.reader.subscription;

import java.time.Duration;

/**
 * How often a failing handler gets an event again before the event is parked on the dead-letter topic,
 * with exponential backoff between attempts. A payload that cannot be decoded is parked at once:
 * retrying cannot change it.
 *
 * @param maxAttempts attempts in all, the first included (1: park on the first failure)
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("backoffs must satisfy 0 <= initial <= max");
        }
    }

    /** 5 attempts, 100 ms doubling up to 5 s: about 1.5 s of retries. */
    public static RetryPolicy defaults() {
        return new RetryPolicy(5, Duration.ofMillis(100), Duration.ofSeconds(5));
    }

    /** The pause after the given failed attempt (1-based). */
    Duration backoffAfter(int attempt) {
        long millis = initialBackoff.toMillis() << Math.min(attempt - 1, 20);
        return Duration.ofMillis(Math.min(millis, maxBackoff.toMillis()));
    }
}
