package dev.eventstore.schemas.personal;

import dev.eventstore.schemas.EventStoreException;

/** Base of the errors of personal data: keys, ciphertexts and the schemas' {@code personal} marks. */
public abstract class PersonalDataException extends EventStoreException {

    protected PersonalDataException(String message) {
        super(message);
    }

    protected PersonalDataException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public boolean isRetryable() {
        return false;
    }
}
