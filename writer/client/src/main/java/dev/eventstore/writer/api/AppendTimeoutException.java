package dev.eventstore.writer.api;

import java.time.Duration;

/**
 * No result arrived in time (or the client closed first): the append may or may not have been applied.
 * Retrying with the same request id ({@link #requestId()}) is safe: if the first attempt was applied,
 * the retry returns its original result and appends nothing.
 */
public class AppendTimeoutException extends AppendException {

    private final String requestId;

    public AppendTimeoutException(String streamId, String requestId, Duration waited, String why) {
        super("Outcome unknown for append to " + streamId + " (request id " + requestId + ") after " + waited.toMillis()
                + " ms: " + why + ". Retrying with the same request id is safe.");
        this.requestId = requestId;
    }

    public String requestId() {
        return requestId;
    }

    @Override
    public boolean isRetryable() {
        return true;
    }
}
