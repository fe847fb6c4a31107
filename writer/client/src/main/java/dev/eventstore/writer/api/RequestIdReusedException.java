package dev.eventstore.writer.api;

/**
 * The append's request id (its idempotency key) names another append: one this client still has in flight,
 * or one the gate applied to another stream, with other events or with another expected version. Nothing of
 * this append was written, and no other append's result is given for it. A request id names one append:
 * give each new append a fresh one (the default) and reuse one only to retry that same append.
 */
public class RequestIdReusedException extends InvalidAppendException {

    private final String requestId;

    public RequestIdReusedException(String requestId, String message) {
        super(message);
        this.requestId = requestId;
    }

    public String requestId() {
        return requestId;
    }
}
