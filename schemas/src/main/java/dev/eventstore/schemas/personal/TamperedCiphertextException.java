package dev.eventstore.schemas.personal;

/**
 * A personal field's value did not authenticate with its subject's key: it was altered, moved from another
 * field or subject, or is not this store's ciphertext at all. Never shown as erased: that would hide it.
 */
public final class TamperedCiphertextException extends PersonalDataException {

    public TamperedCiphertextException(String message) {
        super(message);
    }

    public TamperedCiphertextException(String message, Throwable cause) {
        super(message, cause);
    }
}
