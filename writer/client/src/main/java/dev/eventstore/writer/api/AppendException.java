package dev.eventstore.writer.api;

/** Base of every failure of an append; subclasses say whether a retry can help. */
public abstract class AppendException extends RuntimeException {

    protected AppendException(String message) {
        super(message);
    }

    protected AppendException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Whether retrying the same append (with the same request id) may succeed. */
    public abstract boolean isRetryable();
}
