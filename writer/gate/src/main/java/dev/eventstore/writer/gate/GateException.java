package dev.eventstore.writer.gate;

/** The gate could not start or stopped working. */
public class GateException extends RuntimeException {

    public GateException(String message) {
        super(message);
    }

    public GateException(String message, Throwable cause) {
        super(message, cause);
    }
}
