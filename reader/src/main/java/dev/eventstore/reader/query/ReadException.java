package dev.eventstore.reader.query;

/** A query of the index failed (database unreachable, schema missing, …). */
public class ReadException extends RuntimeException {

    public ReadException(String message, Throwable cause) {
        super(message, cause);
    }
}
