package dev.eventstore.launcher;

/** Bad input or environment for a command: printed without a stack trace, exit status 2. */
final class UsageException extends RuntimeException {

    UsageException(String message) {
        super(message);
    }
}
