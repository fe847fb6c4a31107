package dev.eventstore.schemas.personal;

/** The key store never had a key for this data subject: nothing to forget, or a ciphertext from another store. */
public final class UnknownSubjectException extends PersonalDataException {

    private final String subject;

    public UnknownSubjectException(String subject) {
        super("unknown data subject " + subject + ": the key store never held a key for it");
        this.subject = subject;
    }

    public String subject() {
        return subject;
    }
}
