package dev.eventstore.writer.api;

/** The append was refused as malformed (stream id, events, sizes, schema); nothing was appended. */
public class InvalidAppendException extends AppendException {

    public InvalidAppendException(String message) {
        super(message);
    }

    public InvalidAppendException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public boolean isRetryable() {
        return false;
    }
}
