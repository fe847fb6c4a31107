package dev.eventstore.schemas.personal;

/** The key store could not be reached or failed: nothing was written or read through it. Retryable. */
public final class KeyStoreUnavailableException extends PersonalDataException {

    public KeyStoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public boolean isRetryable() {
        return true;
    }
}
