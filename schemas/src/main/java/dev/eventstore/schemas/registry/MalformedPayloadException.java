package dev.eventstore.schemas.registry;

/** A payload that is not in the schema-registry wire format or does not decode with its schema. */
public class MalformedPayloadException extends RuntimeException {

    public MalformedPayloadException(String message) {
        super(message);
    }

    public MalformedPayloadException(String message, Throwable cause) {
        super(message, cause);
    }
}
