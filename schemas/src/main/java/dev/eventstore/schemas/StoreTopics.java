package dev.eventstore.schemas;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The store's topic names, all under one prefix (default {@code es}).
 *
 * <p>{@code <prefix>.append-requests} and {@code <prefix>.events} must have the same partition count:
 * the gate decides a stream's versions on the partition its append request landed on and writes the
 * stream's events to the partition of the same number.
 */
public record StoreTopics(String prefix) {

    public static final String DEFAULT_PREFIX = "es";
    private static final Pattern LEGAL = Pattern.compile("[a-zA-Z0-9._-]{1,200}");

    public StoreTopics {
        Objects.requireNonNull(prefix, "prefix");
        if (!LEGAL.matcher(prefix).matches()) {
            throw new IllegalArgumentException("topic prefix must match " + LEGAL + ": '" + prefix + "'");
        }
    }

    public static StoreTopics defaults() {
        return new StoreTopics(DEFAULT_PREFIX);
    }

    /** Clients' append requests, keyed by stream id. */
    public String appendRequests() {
        return prefix + ".append-requests";
    }

    /** The log of record: events keyed by stream id, Avro in the registry wire format, envelope in headers. */
    public String events() {
        return prefix + ".events";
    }

    /** The gate's answers, keyed by request id, on the partition each client reads. */
    public String appendResults() {
        return prefix + ".append-results";
    }

    /** Records the indexer or a subscription could not process, with the reason in headers. */
    public String deadLetters() {
        return prefix + ".dead-letters";
    }
}
