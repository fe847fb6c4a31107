package dev.eventstore.writer.api;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Options of one append, with defaults: no idempotency key (each append call gets a fresh request id),
 * the client's default timeout, no correlation or causation id. An options value can be shared by any
 * number of appends: unless it names a key, they are all distinct appends.
 *
 * <p>The idempotency key is the append's request id. The gate answers a request id it has applied with
 * the original result and appends nothing; it refuses the id for any other append
 * ({@link RequestIdReusedException}). Name one only for an append you may have to retry:
 * {@link #retryOf(AppendOutcomeUnknownException)} after an unknown outcome, or {@link #idempotencyKey(String)}
 * for a key of your own (a payment id, say) that must be appended at most once.
 *
 * @param idempotencyKey the request id to send; empty: a fresh one per append call
 */
public record AppendOptions(Optional<String> idempotencyKey, Optional<Duration> timeout, Optional<String> correlationId,
                            Optional<String> causationId) {

    /** Longer keys are refused: they are stored with every applied append for the dedup window. */
    public static final int MAX_IDEMPOTENCY_KEY_LENGTH = 200;

    public AppendOptions {
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        idempotencyKey.ifPresent(AppendOptions::checkKey);
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(correlationId, "correlationId");
        Objects.requireNonNull(causationId, "causationId");
    }

    public static AppendOptions defaults() {
        return new AppendOptions(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    /**
     * The options to retry an append whose outcome is unknown: the same options (its timeout too: give the
     * retry another with {@link #timeout(Duration)} if that one was too short), the same request id. Pass
     * them with the same stream, expected version and events (the same {@link NewEvent} values, whose ids
     * count): the gate appends them at most once, and refuses the id for anything else.
     */
    public static AppendOptions retryOf(AppendOutcomeUnknownException unknown) {
        return unknown.retryOptions();
    }

    /**
     * Sends the append with this request id. Only the same append (same stream, expected version, events,
     * correlation and causation ids) may be sent again with it: it then gets the original result.
     */
    public AppendOptions idempotencyKey(String key) {
        return new AppendOptions(Optional.of(key), timeout, correlationId, causationId);
    }

    public AppendOptions timeout(Duration timeout) {
        return new AppendOptions(idempotencyKey, Optional.of(timeout), correlationId, causationId);
    }

    public AppendOptions correlationId(String correlationId) {
        return new AppendOptions(idempotencyKey, timeout, Optional.of(correlationId), causationId);
    }

    public AppendOptions causationId(String causationId) {
        return new AppendOptions(idempotencyKey, timeout, correlationId, Optional.of(causationId));
    }

    /** The request id of one append call: the key, or a fresh time-ordered id (found by the gate with one point lookup). */
    String requestIdOfCall() {
        return idempotencyKey.orElseGet(() -> EventIds.next().toString());
    }

    private static void checkKey(String key) {
        if (key.isBlank()) {
            throw new IllegalArgumentException("an idempotency key must not be blank");
        }
        if (key.length() > MAX_IDEMPOTENCY_KEY_LENGTH) {
            throw new IllegalArgumentException("an idempotency key has at most " + MAX_IDEMPOTENCY_KEY_LENGTH
                    + " characters, not " + key.length());
        }
    }
}
