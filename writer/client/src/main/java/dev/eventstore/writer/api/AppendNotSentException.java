package dev.eventstore.writer.api;

/**
 * The append was not sent, for a reason that may pass (the schema registry unreachable or failing):
 * nothing was appended, and retrying later may succeed.
 */
public class AppendNotSentException extends AppendException {

    public AppendNotSentException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public boolean isRetryable() {
        return true;
    }
}
