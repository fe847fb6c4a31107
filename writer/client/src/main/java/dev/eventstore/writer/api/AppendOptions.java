package dev.eventstore.writer.api;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Options of one append, with defaults: a fresh request id, the client's default timeout, no
 * correlation or causation id. To retry an append whose outcome is unknown, pass the same request id:
 * the gate answers a request id it has already applied with the original result and appends nothing.
 */
public record AppendOptions(String requestId, Optional<Duration> timeout, Optional<String> correlationId,
                            Optional<String> causationId) {

    public AppendOptions {
        Objects.requireNonNull(requestId, "requestId");
        if (requestId.isBlank()) {
            throw new IllegalArgumentException("request id must not be blank");
        }
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(correlationId, "correlationId");
        Objects.requireNonNull(causationId, "causationId");
    }

    public static AppendOptions defaults() {
        // Time-ordered: the gate remembers such an id under its own time and finds a retry with one point lookup.
        return new AppendOptions(EventIds.next().toString(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    public AppendOptions requestId(String requestId) {
        return new AppendOptions(requestId, timeout, correlationId, causationId);
    }

    public AppendOptions timeout(Duration timeout) {
        return new AppendOptions(requestId, Optional.of(timeout), correlationId, causationId);
    }

    public AppendOptions correlationId(String correlationId) {
        return new AppendOptions(requestId, timeout, Optional.of(correlationId), causationId);
    }

    public AppendOptions causationId(String causationId) {
        return new AppendOptions(requestId, timeout, correlationId, Optional.of(causationId));
    }
}
