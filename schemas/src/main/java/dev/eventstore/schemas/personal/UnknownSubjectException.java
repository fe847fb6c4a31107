package dev.eventstore.schemas.personal;

/** The key store never had a key for this data subject: nothing to forget, or a ciphertext from another store. */
public final class UnknownSubjectException extends SubjectException {

    public UnknownSubjectException(String subject) {
        super(subject, "unknown data subject " + subject + ": the key store never held a key for it");
    }
}
