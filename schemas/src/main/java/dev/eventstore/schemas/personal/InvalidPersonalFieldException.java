package dev.eventstore.schemas.personal;

/**
 * A schema marks a field {@code "personal"} whose type cannot carry ciphertext, or has no key store to
 * encrypt with. Refused before the schema is registered or anything is sent.
 */
public final class InvalidPersonalFieldException extends PersonalDataException {

    public InvalidPersonalFieldException(String message) {
        super(message);
    }
}
