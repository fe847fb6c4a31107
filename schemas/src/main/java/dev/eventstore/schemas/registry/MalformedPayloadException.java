package dev.eventstore.schemas.registry;

import dev.eventstore.schemas.EventStoreException;

/** A payload that is not in the schema-registry wire format or does not decode with its schema. */
public class MalformedPayloadException extends EventStoreException {

    public MalformedPayloadException(String message) {
        super(message);
    }

    public MalformedPayloadException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The bytes are what they are: decoding them again fails again. */
    @Override
    public boolean isRetryable() {
        return false;
    }
}
