package dev.eventstore.reader;

import dev.eventstore.schemas.EventStoreException;

/**
 * A record of the events topic carries no envelope, or a malformed one (a header missing, a version or an
 * event id that does not parse): it is no event of the store. The same record stays malformed, so a retry
 * cannot help; a subscription parks it.
 */
public class MalformedEnvelopeException extends EventStoreException {

    public MalformedEnvelopeException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public boolean isRetryable() {
        return false;
    }
}
