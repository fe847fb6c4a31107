package dev.eventstore.writer.api;

import dev.eventstore.schemas.EventStoreException;

/** Base of every failure of an append; subclasses say whether a retry can help. */
public abstract class AppendException extends EventStoreException {

    protected AppendException(String message) {
        super(message);
    }

    protected AppendException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Whether retrying may succeed: for {@link AppendOutcomeUnknownException} with
     * {@link AppendOptions#retryOf}, for {@link AppendNotSentException} as a new append.
     */
    @Override
    public abstract boolean isRetryable();
}
