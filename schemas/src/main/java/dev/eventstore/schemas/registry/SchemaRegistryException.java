package dev.eventstore.schemas.registry;

import dev.eventstore.schemas.EventStoreException;

/**
 * The registry refused a request or could not be reached. {@link #status()} is the HTTP status (0 when
 * no answer came), {@link #errorCode()} the registry's own code (e.g. 409 for an incompatible schema,
 * 40401 for an unknown subject), and the message carries the registry's reason.
 */
public class SchemaRegistryException extends EventStoreException {

    private final int status;
    private final int errorCode;

    public SchemaRegistryException(int status, int errorCode, String message) {
        super(message);
        this.status = status;
        this.errorCode = errorCode;
    }

    public SchemaRegistryException(String message, Throwable cause) {
        super(message, cause);
        this.status = 0;
        this.errorCode = 0;
    }

    public int status() {
        return status;
    }

    public int errorCode() {
        return errorCode;
    }

    /** The registry refused the schema as incompatible with the subject's earlier versions. */
    public boolean isIncompatible() {
        return status == 409;
    }

    /** The registry refused the request itself (4xx): asking again the same way will not help. */
    public boolean isRefusal() {
        return status >= 400 && status < 500;
    }

    /** A refusal (4xx) stays a refusal; no answer or a server error (5xx) may pass. */
    @Override
    public boolean isRetryable() {
        return !isRefusal();
    }

    /** The subject or schema does not exist. */
    public boolean isNotFound() {
        return status == 404;
    }
}
