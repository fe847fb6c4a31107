package dev.eventstore.writer.api;

import java.time.Duration;

/**
 * The append's outcome is unknown: no result arrived in time, sending the request failed, or the client
 * closed first. It may or may not have been applied. Retrying it with
 * {@link AppendOptions#retryOf(AppendOutcomeUnknownException) AppendOptions.retryOf(e)} and the same
 * stream, expected version and events is safe: if the first attempt was applied, the retry returns its
 * original result ({@code duplicate() == true}) and appends nothing.
 */
public class AppendOutcomeUnknownException extends AppendException {

    private final String requestId;
    private final AppendOptions retryOptions;

    AppendOutcomeUnknownException(String streamId, AppendOptions sent, String requestId, Duration waited, String why) {
        super("Outcome unknown for append to " + streamId + " (request id " + requestId + ") after " + waited.toMillis()
                + " ms: " + why + ". Retrying it with AppendOptions.retryOf(this exception) and the same events is safe.");
        this.requestId = requestId;
        this.retryOptions = sent.idempotencyKey(requestId);
    }

    /** The request id of the append, its idempotency key. */
    public String requestId() {
        return requestId;
    }

    /** The options of the append, its request id made explicit: what {@link AppendOptions#retryOf} returns. */
    AppendOptions retryOptions() {
        return retryOptions;
    }

    @Override
    public boolean isRetryable() {
        return true;
    }
}
