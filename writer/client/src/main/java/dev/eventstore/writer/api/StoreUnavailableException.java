package dev.eventstore.writer.api;

import dev.eventstore.schemas.EventStoreException;

/**
 * A client could not be opened: no broker answered in time, or the brokers do not hold the store's topics (no
 * writer has run with them: its gate creates them when it starts; or the client's topic prefix is not the
 * writer's). Nothing was sent and nothing the client opened is left open.
 */
public class StoreUnavailableException extends EventStoreException {

    public StoreUnavailableException(String message) {
        super(message);
    }

    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    /** True: brokers come back and a writer that starts creates its topics (a wrong prefix stays wrong, though). */
    @Override
    public boolean isRetryable() {
        return true;
    }
}
