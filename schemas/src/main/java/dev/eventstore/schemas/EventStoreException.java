package dev.eventstore.schemas;

/**
 * Base of every exception the store's client libraries throw to an application (appends, reads,
 * snapshots, the schema registry): each says whether trying the same call again can help.
 */
public abstract class EventStoreException extends RuntimeException {

    protected EventStoreException(String message) {
        super(message);
    }

    protected EventStoreException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Whether the same call, made again later, may succeed: true for a condition that can pass (a server
     * unreachable, a timeout, an index catching up), false when the input or the state it met must change
     * first (a conflict, a malformed append, a refused schema).
     */
    public abstract boolean isRetryable();
}
