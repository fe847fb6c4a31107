package dev.eventstore.reader.subscription;

/**
 * Headers a subscription adds to an event it parks, besides {@code es.dead-letter.reason} and
 * {@code es.dead-letter.source} (see {@code DeadLetters}) and the event's own headers.
 */
public final class DeadLetterHeaders {

    /** The subscription group that gave up on the event. */
    public static final String GROUP = "es.dead-letter.group";
    /** How many times the handler was given the event. */
    public static final String ATTEMPTS = "es.dead-letter.attempts";
    /** The class of the last failure. */
    public static final String EXCEPTION = "es.dead-letter.exception";

    private DeadLetterHeaders() {}
}
