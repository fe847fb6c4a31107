package dev.eventstore.launcher;

/** A server the command needs did not answer within the start-up timeout. */
final class ServerUnreachableException extends RuntimeException {

    ServerUnreachableException(String message, Throwable cause) {
        super(message, cause);
    }
}
